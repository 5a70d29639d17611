#include "seeder.h"

#include "appointmentrules.h"
#include "appointmentstore.h"
#include "clinicstore.h"
#include "clock.h"
#include "consultationstore.h"
#include "fieldrules.h"
#include "formulary.h"
#include "outbox.h"
#include "patientstore.h"
#include "prescriptionstore.h"
#include "prescriptionvalidator.h"
#include "providerstore.h"
#include "recordtable.h"
#include "transaction.h"
#include "userstore.h"
#include "vitalsstore.h"

#include <QTimeZone>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <vector>

namespace tmdash {

// ---------------------------------------------------------------------------------------------
// Ids

SeedIdGenerator::SeedIdGenerator(quint64 seed, QDate anchor)
    : m_rng(seed ^ 0x5eed1d5ULL),
      m_baseMs(QDateTime(anchor, QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch())
{
}

QString SeedIdGenerator::next()
{
    const quint64 ms = quint64(m_baseMs + m_counter++);
    const quint64 r1 = m_rng();
    const quint64 r2 = m_rng();
    std::array<quint8, 16> b{};
    for (int i = 0; i < 6; ++i)
        b[size_t(i)] = quint8(ms >> (40 - 8 * i));
    for (size_t i = 6; i < 16; ++i)
        b[i] = quint8((i < 11 ? r1 : r2) >> (8 * (i % 8)));
    b[6] = quint8(0x70 | (b[6] & 0x0f)); // version 7
    b[8] = quint8(0x80 | (b[8] & 0x3f)); // RFC 4122 variant
    static const char hex[] = "0123456789abcdef";
    QString out;
    out.reserve(36);
    for (size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out += QLatin1Char('-');
        out += QLatin1Char(hex[b[i] >> 4]);
        out += QLatin1Char(hex[b[i] & 0x0f]);
    }
    return out;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Randomness: only raw mt19937_64 output is used (the standard distributions are
// implementation-defined), so the same seed gives the same data with any standard library.

class Rng
{
public:
    explicit Rng(quint64 seed) : m_engine(seed) {}
    quint64 bits() { return m_engine(); }
    // 0 <= n < bound (bound > 0).
    int below(int bound) { return int(m_engine() % quint64(bound)); }
    int between(int lo, int hi) { return lo + below(hi - lo + 1); }
    double unit() { return double(m_engine() >> 11) * (1.0 / 9007199254740992.0); }
    bool chance(double p) { return unit() < p; }
    double normal(double mean, double sd)
    {
        const double u1 = std::max(unit(), 1e-12);
        const double u2 = unit();
        return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    template <class T, size_t N> const T &pick(const std::array<T, N> &items)
    {
        return items[size_t(below(int(N)))];
    }
    template <class T> const T &pick(const std::vector<T> &items)
    {
        return items[size_t(below(int(items.size())))];
    }

private:
    std::mt19937_64 m_engine;
};

double round1(double v)
{
    return std::round(v * 10.0) / 10.0;
}

double clamp(double v, double lo, double hi)
{
    return std::min(hi, std::max(lo, v));
}

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

QString digits(Rng &rng, int count)
{
    QString out;
    for (int i = 0; i < count; ++i)
        out += QChar(u'0' + rng.below(10));
    return out;
}

QString letters(Rng &rng, int count)
{
    QString out;
    for (int i = 0; i < count; ++i)
        out += QChar(u'A' + rng.below(26));
    return out;
}

Error prefixed(Error e, const QString &what)
{
    e.message = QStringLiteral("seeding %1 failed: %2").arg(what, e.message);
    return e;
}

#define SEED_TRY(expr, what)                                                                       \
    do {                                                                                           \
        auto seedResult_ = (expr);                                                                 \
        if (!seedResult_)                                                                          \
            return prefixed(seedResult_.error(), (what));                                          \
    } while (false)

// ---------------------------------------------------------------------------------------------
// Reference tables for the demo clinic (made up; any resemblance to real people is chance).

constexpr std::array kFemaleNames = {
    "Olivia", "Emma",   "Ava",     "Sophia", "Isabella",  "Mia",      "Charlotte", "Amelia",
    "Harper", "Evelyn", "Abigail", "Emily",  "Elizabeth", "Sofia",    "Camila",    "Aaliyah",
    "Grace",  "Chloe",  "Zoë",     "Layla",  "Nora",      "Lucía",    "Hannah",    "Priya",
    "Mei",    "Fatima", "Ngozi",   "Rosa",   "Tatiana",   "Keisha",   "Gabriela",  "Yuki",
    "Maria",  "Ruth",   "Dorothy", "Linda",  "Barbara",   "Patricia", "Aisha",     "Ingrid"};
constexpr std::array kMaleNames = {
    "Liam",    "Noah",      "Oliver", "Elijah",  "James",   "William", "Benjamin", "Lucas",
    "Henry",   "Alexander", "Mateo",  "Daniel",  "Michael", "Ethan",   "Jacob",    "Logan",
    "Jackson", "Sebastian", "José",   "Luis",    "Wei",     "Arjun",   "Omar",     "Kwame",
    "Dmitri",  "Malik",     "Andre",  "Hiroshi", "Carlos",  "Samuel",  "Robert",   "Joseph",
    "Thomas",  "Charles",   "George", "Frank",   "Raymond", "Tariq",   "Emeka",    "Pedro"};
constexpr std::array kFamilyNames = {
    "Smith",     "Johnson",  "Williams",  "Brown",    "Jones",    "Garcia",   "Miller",   "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez",    "Gonzalez", "Wilson",   "Anderson", "Thomas",
    "Taylor",    "Moore",    "Jackson",   "Martin",   "Lee",      "Perez",    "Thompson", "White",
    "Harris",    "Sanchez",  "Clark",     "Ramirez",  "Lewis",    "Robinson", "Walker",   "Young",
    "Allen",     "King",     "Wright",    "Scott",    "Torres",   "Nguyen",   "Hill",     "Flores",
    "Green",     "Adams",    "Baker",     "Rivera",   "Campbell", "Mitchell", "Carter",   "Kim",
    "Cohen",     "Goldberg", "O'Brien",   "Kowalski", "Novak",    "Singh",    "Chen",     "Wong",
    "Khan",      "Haddad",   "Okoye",     "Mensah",   "Núñez",    "Ivanova",  "Rossi"};
constexpr std::array kStreets = {
    "Amsterdam Avenue", "Atlantic Avenue", "Bedford Avenue",  "Broadway",
    "Court Street",     "Delancey Street", "Flatbush Avenue", "Grand Street",
    "Lexington Avenue", "Myrtle Avenue",   "Nostrand Avenue", "Queens Boulevard",
    "Steinway Street",  "Riverside Drive", "Ocean Parkway",   "Washington Street"};

struct Place
{
    const char *city;
    const char *region;
    const char *postalCode;
};
constexpr std::array kPlaces = {
    Place{"New York", "NY", "10002"}, Place{"New York", "NY", "10013"},
    Place{"New York", "NY", "10025"}, Place{"New York", "NY", "10031"},
    Place{"Brooklyn", "NY", "11201"}, Place{"Brooklyn", "NY", "11211"},
    Place{"Brooklyn", "NY", "11215"}, Place{"Brooklyn", "NY", "11226"},
    Place{"Astoria", "NY", "11102"},  Place{"Bronx", "NY", "10451"},
    Place{"Bronx", "NY", "10463"},    Place{"Jersey City", "NJ", "07302"},
    Place{"Hoboken", "NJ", "07030"}};
constexpr std::array kAreaCodes = {"212", "332", "347", "516", "631",
                                   "646", "718", "914", "917", "929"};
constexpr std::array kPayers = {
    "Aetna",        "Blue Cross Blue Shield", "Cigna",       "UnitedHealthcare",
    "EmblemHealth", "Oscar Health",           "Fidelis Care"};

struct AllergyDef
{
    const char *substance;
    AllergyCategory category;
    AllergyCriticality criticality;
    const char *reaction;
    AllergySeverity severity;
};
constexpr std::array kAllergies = {
    AllergyDef{"penicillin", AllergyCategory::Medication, AllergyCriticality::High, "Hives",
               AllergySeverity::Moderate},
    AllergyDef{"sulfa", AllergyCategory::Medication, AllergyCriticality::Low, "Rash",
               AllergySeverity::Mild},
    AllergyDef{"codeine", AllergyCategory::Medication, AllergyCriticality::Low, "Nausea",
               AllergySeverity::Mild},
    AllergyDef{"nsaid", AllergyCategory::Medication, AllergyCriticality::High, "Facial swelling",
               AllergySeverity::Severe},
    AllergyDef{"peanuts", AllergyCategory::Food, AllergyCriticality::High, "Anaphylaxis",
               AllergySeverity::Severe},
    AllergyDef{"shellfish", AllergyCategory::Food, AllergyCriticality::High, "Throat tightness",
               AllergySeverity::Severe},
    AllergyDef{"eggs", AllergyCategory::Food, AllergyCriticality::Low, "Stomach cramps",
               AllergySeverity::Mild},
    AllergyDef{"latex", AllergyCategory::Environment, AllergyCriticality::Low, "Contact rash",
               AllergySeverity::Mild},
    AllergyDef{"pollen", AllergyCategory::Environment, AllergyCriticality::Low,
               "Sneezing, itchy eyes", AllergySeverity::Mild},
    AllergyDef{"cat dander", AllergyCategory::Environment, AllergyCriticality::Low, "Wheezing",
               AllergySeverity::Moderate},
    AllergyDef{"bee venom", AllergyCategory::Environment, AllergyCriticality::High,
               "Swelling at the sting site", AllergySeverity::Moderate}};

// A long-term condition, with the ages at which it is seeded and how often.
struct ConditionDef
{
    const char *code;
    const char *description;
    const char *followUpReason;
    int minAge;
    int maxAge;
    double chance;
};
constexpr std::array kConditions = {
    ConditionDef{"I10", "Essential (primary) hypertension", "Blood pressure follow-up", 30, 200,
                 0.30},
    ConditionDef{"E11.9", "Type 2 diabetes mellitus without complications", "Diabetes follow-up",
                 35, 200, 0.12},
    ConditionDef{"E78.5", "Hyperlipidemia, unspecified", "Cholesterol follow-up", 35, 200, 0.22},
    ConditionDef{"E03.9", "Hypothyroidism, unspecified", "Thyroid follow-up", 25, 200, 0.06},
    ConditionDef{"K21.9", "Gastro-esophageal reflux disease without esophagitis",
                 "Heartburn follow-up", 20, 200, 0.09},
    ConditionDef{"F41.1", "Generalized anxiety disorder", "Anxiety follow-up", 16, 200, 0.07},
    ConditionDef{"F32.9", "Major depressive disorder, single episode, unspecified",
                 "Depression follow-up", 16, 200, 0.06},
    ConditionDef{"J45.909", "Unspecified asthma, uncomplicated", "Asthma follow-up", 2, 200, 0.08},
    ConditionDef{"J30.9", "Allergic rhinitis, unspecified", "Allergy follow-up", 4, 200, 0.10},
    ConditionDef{"G43.909", "Migraine, unspecified, not intractable, without status migrainosus",
                 "Migraine follow-up", 14, 65, 0.05},
    ConditionDef{"M19.90", "Unspecified osteoarthritis, unspecified site", "Joint pain follow-up",
                 55, 200, 0.12},
    ConditionDef{"I48.91", "Unspecified atrial fibrillation", "Atrial fibrillation follow-up", 65,
                 200, 0.05},
    ConditionDef{"E66.9", "Obesity, unspecified", "Weight management", 18, 200, 0.0}};

// One prescription as a prescriber writes it.
struct RxDef
{
    const char *code; // formulary RXCUI
    const char *form;
    const char *strength;
    double dose;
    const char *unit;
    Frequency frequency;
    bool asNeeded;
    int days;
    int refills;
    double prnQuantity; // for as-needed prescriptions
    const char *instructions;
};

// The usual long-term medication for a condition code, by age group.
const RxDef *chronicRx(const QString &code, int age)
{
    static const RxDef lisinopril{"29046",
                                  "tablet",
                                  "10 mg",
                                  1,
                                  "tablet",
                                  Frequency::Qd,
                                  false,
                                  90,
                                  3,
                                  0,
                                  "Take 1 tablet by mouth once daily."};
    static const RxDef metformin{"6809",
                                 "tablet",
                                 "500 mg",
                                 1,
                                 "tablet",
                                 Frequency::Bid,
                                 false,
                                 90,
                                 3,
                                 0,
                                 "Take 1 tablet by mouth twice daily with meals."};
    static const RxDef atorvastatin{"83367",
                                    "tablet",
                                    "20 mg",
                                    1,
                                    "tablet",
                                    Frequency::Qhs,
                                    false,
                                    90,
                                    3,
                                    0,
                                    "Take 1 tablet by mouth at bedtime."};
    static const RxDef levothyroxine{"10582",
                                     "tablet",
                                     "50 mcg",
                                     1,
                                     "tablet",
                                     Frequency::Qd,
                                     false,
                                     90,
                                     3,
                                     0,
                                     "Take 1 tablet by mouth every morning on an empty stomach."};
    static const RxDef omeprazole{"7646",
                                  "delayed_release_capsule",
                                  "20 mg",
                                  1,
                                  "capsule",
                                  Frequency::Qd,
                                  false,
                                  90,
                                  1,
                                  0,
                                  "Take 1 capsule by mouth 30 minutes before breakfast."};
    static const RxDef sertraline{"36437",
                                  "tablet",
                                  "50 mg",
                                  1,
                                  "tablet",
                                  Frequency::Qd,
                                  false,
                                  90,
                                  2,
                                  0,
                                  "Take 1 tablet by mouth once daily."};
    static const RxDef escitalopram{"321988",
                                    "tablet",
                                    "10 mg",
                                    1,
                                    "tablet",
                                    Frequency::Qd,
                                    false,
                                    90,
                                    2,
                                    0,
                                    "Take 1 tablet by mouth once daily."};
    static const RxDef montelukastAdult{"88249",
                                        "tablet",
                                        "10 mg",
                                        1,
                                        "tablet",
                                        Frequency::Qhs,
                                        false,
                                        90,
                                        3,
                                        0,
                                        "Take 1 tablet by mouth every evening."};
    static const RxDef montelukastChild{"88249",
                                        "chewable_tablet",
                                        "5 mg",
                                        1,
                                        "tablet",
                                        Frequency::Qhs,
                                        false,
                                        90,
                                        3,
                                        0,
                                        "Chew 1 tablet every evening."};
    static const RxDef montelukastSmall{"88249",
                                        "chewable_tablet",
                                        "4 mg",
                                        1,
                                        "tablet",
                                        Frequency::Qhs,
                                        false,
                                        90,
                                        3,
                                        0,
                                        "Chew 1 tablet every evening."};
    static const RxDef cetirizineAdult{"20610",
                                       "tablet",
                                       "10 mg",
                                       1,
                                       "tablet",
                                       Frequency::Qd,
                                       false,
                                       90,
                                       1,
                                       0,
                                       "Take 1 tablet by mouth once daily."};
    static const RxDef cetirizineChild{"20610",
                                       "tablet",
                                       "5 mg",
                                       1,
                                       "tablet",
                                       Frequency::Qd,
                                       false,
                                       90,
                                       1,
                                       0,
                                       "Take 1 tablet by mouth once daily."};
    static const RxDef sumatriptan{"37418",
                                   "tablet",
                                   "50 mg",
                                   1,
                                   "tablet",
                                   Frequency::Q12h,
                                   true,
                                   30,
                                   2,
                                   9,
                                   "Take 1 tablet at the onset of a migraine; no more than 2 "
                                   "tablets in 24 hours."};
    static const RxDef acetaminophenArthritis{"161",
                                              "tablet",
                                              "500 mg",
                                              1,
                                              "tablet",
                                              Frequency::Q6h,
                                              true,
                                              30,
                                              2,
                                              60,
                                              "Take 1 tablet every 6 hours as needed for joint "
                                              "pain."};
    static const RxDef apixaban{"1364430",
                                "tablet",
                                "5 mg",
                                1,
                                "tablet",
                                Frequency::Bid,
                                false,
                                90,
                                3,
                                0,
                                "Take 1 tablet by mouth twice daily."};
    if (code == u"I10")
        return &lisinopril;
    if (code == u"E11.9")
        return &metformin;
    if (code == u"E78.5")
        return &atorvastatin;
    if (code == u"E03.9")
        return &levothyroxine;
    if (code == u"K21.9")
        return &omeprazole;
    if (code == u"F41.1")
        return &sertraline;
    if (code == u"F32.9")
        return &escitalopram;
    if (code == u"J45.909")
        return age >= 15 ? &montelukastAdult : age >= 6 ? &montelukastChild : &montelukastSmall;
    if (code == u"J30.9")
        return age >= 12 ? &cetirizineAdult : &cetirizineChild;
    if (code == u"G43.909")
        return &sumatriptan;
    if (code == u"M19.90")
        return &acetaminophenArthritis;
    if (code == u"I48.91")
        return &apixaban;
    return nullptr;
}

// A reason for an unplanned visit, what it usually turns out to be, and what is prescribed
// (first choice, then an alternative for patients allergic to the first).
struct AcuteDef
{
    const char *reason;
    const char *code;
    const char *description;
    bool fever;
    bool adultOnly;
    int painMin;
    int painMax;
    const RxDef *first;
    const RxDef *second;
};

const RxDef kAmoxicillin{"723",
                         "capsule",
                         "500 mg",
                         1,
                         "capsule",
                         Frequency::Bid,
                         false,
                         10,
                         0,
                         0,
                         "Take 1 capsule by mouth twice daily until finished."};
const RxDef kAmoxicillinChild{"723",
                              "oral_suspension",
                              "250 mg/5 mL",
                              250,
                              "mg",
                              Frequency::Tid,
                              false,
                              10,
                              0,
                              0,
                              "Give 5 mL by mouth three times daily until finished."};
const RxDef kAzithromycin{"18631",
                          "tablet",
                          "250 mg",
                          1,
                          "tablet",
                          Frequency::Qd,
                          false,
                          5,
                          0,
                          0,
                          "Take 2 tablets on day 1, then 1 tablet daily on days 2 to 5."};
const RxDef kCephalexin{"2231",
                        "capsule",
                        "500 mg",
                        1,
                        "capsule",
                        Frequency::Bid,
                        false,
                        7,
                        0,
                        0,
                        "Take 1 capsule by mouth twice daily until finished."};
const RxDef kIbuprofen{"5640",
                       "tablet",
                       "400 mg",
                       1,
                       "tablet",
                       Frequency::Q8h,
                       true,
                       10,
                       0,
                       30,
                       "Take 1 tablet every 8 hours as needed for pain, with food."};
const RxDef kAcetaminophen{"161",
                           "tablet",
                           "500 mg",
                           1,
                           "tablet",
                           Frequency::Q6h,
                           true,
                           7,
                           0,
                           28,
                           "Take 1 tablet every 6 hours as needed for pain or fever."};
const RxDef kCetirizine{"20610",
                        "tablet",
                        "10 mg",
                        1,
                        "tablet",
                        Frequency::Qd,
                        false,
                        14,
                        0,
                        0,
                        "Take 1 tablet by mouth once daily."};

const std::array kAcute = {
    AcuteDef{"Sore throat and fever", "J02.9", "Acute pharyngitis, unspecified", true, false, 3, 6,
             &kAmoxicillin, &kAzithromycin},
    AcuteDef{"Cough and congestion", "J06.9", "Acute upper respiratory infection, unspecified",
             true, false, 1, 3, nullptr, nullptr},
    AcuteDef{"Painful urination", "N39.0", "Urinary tract infection, site not specified", false,
             true, 3, 5, &kCephalexin, &kAzithromycin},
    AcuteDef{"Low back pain", "M54.50", "Low back pain, unspecified", false, true, 5, 8,
             &kIbuprofen, &kAcetaminophen},
    AcuteDef{"Headache", "R51.9", "Headache, unspecified", false, false, 4, 7, &kAcetaminophen,
             nullptr},
    AcuteDef{"Persistent cough", "J20.9", "Acute bronchitis, unspecified", true, false, 1, 3,
             nullptr, nullptr},
    AcuteDef{"Itchy rash", "L30.9", "Dermatitis, unspecified", false, false, 1, 2, &kCetirizine,
             nullptr},
    AcuteDef{"Twisted ankle", "S93.401A",
             "Sprain of unspecified ligament of right ankle, initial encounter", false, false, 4, 7,
             &kIbuprofen, &kAcetaminophen},
    AcuteDef{"Ear pain", "H66.90", "Otitis media, unspecified, unspecified ear", true, false, 3, 6,
             &kAmoxicillinChild, nullptr}};

struct UserDef
{
    const char *email;
    const char *given;
    const char *family;
    Role role;
    const char *password;
};
// The demo accounts. The passwords are published (README, `seed --json`): demo data only.
constexpr std::array kUsers = {
    UserDef{"admin@northside.example", "Morgan", "Reyes", Role::Admin, "Harbor-Quartz-7316"},
    UserDef{"emily.chen@northside.example", "Emily", "Chen", Role::Provider, "Maple-Lantern-2931"},
    UserDef{"marcus.okafor@northside.example", "Marcus", "Okafor", Role::Provider,
            "Cobalt-Meadow-5840"},
    UserDef{"priya.patel@northside.example", "Priya", "Patel", Role::Provider,
            "Saffron-Bridge-4172"},
    UserDef{"sofia.garcia@northside.example", "Sofia", "Garcia", Role::Provider,
            "Juniper-Atlas-6095"},
    UserDef{"frontdesk@northside.example", "Jordan", "Lee", Role::Staff, "Willow-Signal-3358"},
    UserDef{"nurse@northside.example", "Sam", "Rivera", Role::Staff, "Copper-Harvest-8821"},
    UserDef{"avery.thompson@mail.example", "Avery", "Thompson", Role::Patient,
            "Orchid-Compass-1947"}};
constexpr int kAdminUser = 0;
constexpr int kFirstProviderUser = 1;
constexpr int kFrontDeskUser = 5;
constexpr int kNurseUser = 6;
constexpr int kPatientUser = 7;

struct Window
{
    int weekday;
    int startHour;
    int startMinute;
    int endHour;
    int endMinute;
};

struct ProviderDef
{
    const char *specialty;
    const char *credentials;
    int slotMinutes;
    const char *room;
    bool pediatric;
    std::vector<Window> windows;
};

const std::array<ProviderDef, 4> &providerDefs()
{
    static const std::array<ProviderDef, 4> defs = {ProviderDef{"Family Medicine",
                                                                "MD",
                                                                20,
                                                                "Exam 1",
                                                                false,
                                                                {{1, 8, 0, 12, 0},
                                                                 {1, 13, 0, 17, 0},
                                                                 {2, 8, 0, 12, 0},
                                                                 {2, 13, 0, 17, 0},
                                                                 {3, 8, 0, 12, 0},
                                                                 {3, 13, 0, 17, 0},
                                                                 {4, 8, 0, 12, 0},
                                                                 {4, 13, 0, 17, 0},
                                                                 {5, 8, 0, 12, 0},
                                                                 {5, 13, 0, 16, 0}}},
                                                    ProviderDef{"Internal Medicine",
                                                                "DO",
                                                                30,
                                                                "Exam 2",
                                                                false,
                                                                {{1, 9, 0, 12, 0},
                                                                 {1, 13, 0, 17, 0},
                                                                 {2, 9, 0, 12, 0},
                                                                 {2, 13, 0, 17, 0},
                                                                 {3, 9, 0, 13, 0},
                                                                 {4, 9, 0, 12, 0},
                                                                 {4, 13, 0, 17, 0},
                                                                 {6, 9, 0, 13, 0}}},
                                                    ProviderDef{"Pediatrics",
                                                                "MD",
                                                                20,
                                                                "Exam 3",
                                                                true,
                                                                {{1, 8, 0, 12, 0},
                                                                 {1, 13, 0, 16, 0},
                                                                 {3, 8, 0, 12, 0},
                                                                 {3, 13, 0, 16, 0},
                                                                 {5, 8, 0, 12, 0},
                                                                 {5, 13, 0, 16, 0}}},
                                                    ProviderDef{"Family Nurse Practitioner",
                                                                "NP",
                                                                15,
                                                                "Exam 4",
                                                                false,
                                                                {{2, 10, 0, 14, 0},
                                                                 {2, 14, 30, 18, 0},
                                                                 {4, 10, 0, 14, 0},
                                                                 {4, 14, 30, 18, 0},
                                                                 {5, 8, 0, 12, 0}}}};
    return defs;
}

// ---------------------------------------------------------------------------------------------

// What the generator remembers about a patient while it writes the clinical records.
struct PatientState
{
    Patient patient;
    int age = 0;
    bool child = false;
    int primaryProvider = 0;
    // Baseline vitals and their drift.
    double heightCm = 0;
    double weightKg = 0;
    double weightSlopePerDay = 0;
    double systolic = 0;
    double diastolic = 0;
    double heartRate = 0;
    double respiratoryRate = 0;
    double spo2 = 0;
    bool diabetic = false;
    bool hypertensive = false;
    int visits = 0;
    QList<Prescription> current; // active or on hold, as stored
};

enum class Plan { Completed, NoShow, Cancelled, Scheduled, Confirmed };

struct Booking
{
    Appointment appointment;
    int provider = 0;
    int patient = 0;
    Plan plan = Plan::Scheduled;
    int acute = -1;     // index into kAcute for urgent visits
    int condition = -1; // index into the patient's conditions for follow-ups
};

class Seeder
{
public:
    Seeder(const Database &db, const SeedOptions &options, QDate anchor)
        : m_db(db), m_options(options), m_anchor(anchor), m_rng(options.seed),
          m_ids(options.seed, anchor)
    {
    }

    Result<SeedSummary> run();

private:
    Status seedClinic();
    Status seedUsers();
    Status seedProviders();
    Status seedPatients();
    Status seedStandingPrescriptions();
    Status seedSchedule();
    Status writeBooking(Booking &b);
    Status writeVisit(const Booking &b);
    // Writes the prescription unless the patient already takes that medication or it would
    // raise an interaction or allergy alert; false when skipped.
    Result<bool> prescribe(PatientState &ps, const RxDef &def, int provider, QDate start,
                           const std::optional<ConsultationId> &consultation, bool acute);

    Patient makePatient(int index);
    void makeBaseline(PatientState &ps);
    Vitals makeVitals(PatientState &ps, const Booking &b);
    QDateTime localToUtc(QDate day, int hour, int minute) const
    {
        return QDateTime(day, QTime(hour, minute), m_zone).toUTC();
    }
    Principal person(int userIndex) const
    {
        const SeedUser &u = m_summary.users.at(userIndex);
        return {Principal::Kind::Person, u.id, m_clinic.id, u.role, {}};
    }
    Principal providerPrincipal(int provider) const
    {
        return person(kFirstProviderUser + provider);
    }

    Database m_db;
    SeedOptions m_options;
    QDate m_anchor;
    Rng m_rng;
    SeedIdGenerator m_ids;
    QTimeZone m_zone{QByteArrayLiteral("America/New_York")};
    Clinic m_clinic;
    QList<Provider> m_providers;
    std::vector<PatientState> m_patients;
    std::vector<int> m_children;
    std::vector<int> m_adults;
    SeedSummary m_summary;
};

Result<SeedSummary> Seeder::run()
{
    m_summary.today = m_anchor;
    m_summary.seed = m_options.seed;
    if (Status st = seedClinic(); !st)
        return st.error();
    if (Status st = seedUsers(); !st)
        return st.error();
    if (Status st = seedProviders(); !st)
        return st.error();
    if (Status st = seedPatients(); !st)
        return st.error();
    if (Status st = seedStandingPrescriptions(); !st)
        return st.error();
    if (Status st = seedSchedule(); !st)
        return st.error();
    return m_summary;
}

Status Seeder::seedClinic()
{
    Clinic c;
    c.id = m_ids.nextId<ClinicId>();
    c.name = QStringLiteral("Northside Family Clinic");
    c.timezone = QStringLiteral("America/New_York");
    c.phone = QStringLiteral("+12125550100");
    c.address_line = QStringLiteral("120 Hudson Street");
    c.city = QStringLiteral("New York");
    c.region = QStringLiteral("NY");
    c.postal_code = QStringLiteral("10013");
    c.country = QStringLiteral("US");
    c.setWeekdayHours(QTime(8, 0), QTime(18, 0));
    c.setHoursOn(6, DayHours::between(QTime(9, 0), QTime(13, 0)));
    auto stored = ClinicStore(m_db, Principal::owner()).create(c);
    SEED_TRY(stored, QStringLiteral("the clinic"));
    m_clinic = *stored;
    m_summary.clinic_id = m_clinic.id;
    return {};
}

Status Seeder::seedUsers()
{
    // The admin is created by the database's owner, everyone else by the admin.
    for (int i = 0; i < int(kUsers.size()); ++i) {
        const UserDef &d = kUsers[size_t(i)];
        User u;
        u.id = m_ids.nextId<UserId>();
        u.clinic_id = m_clinic.id;
        u.email = s(d.email);
        u.given_name = s(d.given);
        u.family_name = s(d.family);
        u.role = d.role;
        u.status = UserStatus::Active;
        const Principal actor = i == kAdminUser ? Principal::owner() : person(kAdminUser);
        auto stored = UserStore(m_db, actor).create(u, s(d.password));
        SEED_TRY(stored, QStringLiteral("user %1").arg(u.email));
        m_summary.users << SeedUser{stored->id, stored->email, stored->role, s(d.password)};
    }
    return {};
}

Status Seeder::seedProviders()
{
    const ProviderStore store(m_db, person(kAdminUser));
    QStringList npis;
    for (int i = 0; i < int(providerDefs().size()); ++i) {
        const ProviderDef &d = providerDefs()[size_t(i)];
        Provider p;
        p.id = m_ids.nextId<ProviderId>();
        p.clinic_id = m_clinic.id;
        p.user_id = m_summary.users.at(kFirstProviderUser + i).id;
        QString npi;
        do {
            const QString first = QString::number(1 + m_rng.below(2)) + digits(m_rng, 8);
            npi = first + QString::number(npiCheckDigit(first));
        } while (npis.contains(npi));
        npis << npi;
        p.npi = npi;
        p.license_number = QStringLiteral("%1-%2").arg(s(d.credentials), digits(m_rng, 6));
        p.license_region = QStringLiteral("NY");
        p.license_expires = m_anchor.addDays(kMaxSeedAnchorAgeDays + 30 + m_rng.below(700));
        p.specialty = s(d.specialty);
        p.credentials = s(d.credentials);
        p.default_slot_minutes = d.slotMinutes;
        for (const Window &w : d.windows) {
            ProviderAvailability a;
            a.id = m_ids.nextId<RowId>();
            a.weekday = w.weekday;
            a.start_time = QTime(w.startHour, w.startMinute);
            a.end_time = QTime(w.endHour, w.endMinute);
            a.room = s(d.room);
            p.availability << a;
        }
        // Some absences: a past conference, a future afternoon course, a future vacation.
        auto addOff = [&](QDateTime from, QDateTime to, const char *reason) {
            ProviderTimeOff t;
            t.id = m_ids.nextId<RowId>();
            t.start_at = from;
            t.end_at = to;
            t.reason = s(reason);
            p.time_off << t;
        };
        if (i == 0)
            addOff(localToUtc(m_anchor.addDays(5), 13, 0), localToUtc(m_anchor.addDays(5), 17, 0),
                   "CME course");
        if (i == 1)
            addOff(localToUtc(m_anchor.addDays(-12), 0, 0), localToUtc(m_anchor.addDays(-9), 0, 0),
                   "Medical conference");
        if (i == 2)
            addOff(localToUtc(m_anchor.addDays(14), 0, 0), localToUtc(m_anchor.addDays(19), 0, 0),
                   "Vacation");
        auto stored = store.create(p);
        SEED_TRY(stored, QStringLiteral("provider %1").arg(i + 1));
        m_providers << *stored;
    }
    m_summary.providers = int(m_providers.size());
    return {};
}

Patient Seeder::makePatient(int index)
{
    Patient p;
    p.id = m_ids.nextId<PatientId>();
    p.clinic_id = m_clinic.id;
    p.mrn = QStringLiteral("DEMO-%1").arg(index + 1, 5, 10, QLatin1Char('0'));

    // Ages: about one patient in six a child, the rest spread over adult life.
    int age = 0;
    const double r = m_rng.unit();
    if (r < 0.17)
        age = m_rng.between(0, 17);
    else if (r < 0.75)
        age = m_rng.between(18, 64);
    else
        age = m_rng.between(65, 95);
    const double sexRoll = m_rng.unit();
    p.sex = sexRoll < 0.49   ? Sex::Female
            : sexRoll < 0.98 ? Sex::Male
            : sexRoll < 0.99 ? Sex::Other
                             : Sex::Unknown;
    const bool female = p.sex == Sex::Female || (p.sex != Sex::Male && m_rng.chance(0.5));
    p.given_name = s(female ? m_rng.pick(kFemaleNames) : m_rng.pick(kMaleNames));
    if (m_rng.chance(0.35))
        p.middle_name = s(m_rng.chance(0.5) ? m_rng.pick(kFemaleNames) : m_rng.pick(kMaleNames));
    p.family_name = s(m_rng.pick(kFamilyNames));
    p.birth_date = m_anchor.addYears(-age).addDays(-m_rng.between(1, 364));

    if (index == 0) {
        // The patient with the demo portal account.
        p.given_name = QStringLiteral("Avery");
        p.middle_name.clear();
        p.family_name = QStringLiteral("Thompson");
        p.sex = Sex::Female;
        p.birth_date = m_anchor.addYears(-38).addDays(-47);
        p.email = s(kUsers[kPatientUser].email);
        p.user_id = m_summary.users.at(kPatientUser).id;
    }
    const int years = int(p.birth_date->daysTo(m_anchor) / 365);

    // Unique fictional numbers (555-01xx is reserved for fiction; beyond it the exchange stays
    // 555 with a running line number).
    if (index < 99000)
        p.phone = QStringLiteral("+1") + s(kAreaCodes[size_t(index % 10)]) + QStringLiteral("555") +
                  QStringLiteral("%1").arg(100 + index / 10, 4, 10, QLatin1Char('0'));
    if (p.email.isEmpty() && years >= 16 && m_rng.chance(0.75)) {
        const QString local = QString(p.given_name + QLatin1Char('.') + p.family_name)
                                  .toLower()
                                  .normalized(QString::NormalizationForm_KD);
        QString ascii;
        for (QChar c : local)
            if ((c >= u'a' && c <= u'z') || c == u'.')
                ascii += c;
        p.email = QStringLiteral("%1%2@mail.example").arg(ascii).arg(index + 1);
    }
    const Place &place = m_rng.pick(kPlaces);
    p.address_line =
        QStringLiteral("%1 %2").arg(m_rng.between(1, 2400)).arg(s(m_rng.pick(kStreets)));
    if (m_rng.chance(0.4))
        p.address_line += QStringLiteral(", Apt %1%2")
                              .arg(m_rng.between(1, 24))
                              .arg(QChar(u'A' + m_rng.below(8)));
    p.city = s(place.city);
    p.region = s(place.region);
    p.postal_code = s(place.postalCode);
    p.country = QStringLiteral("US");
    const double lang = m_rng.unit();
    p.preferred_language = lang < 0.80   ? QStringLiteral("en")
                           : lang < 0.92 ? QStringLiteral("es")
                           : lang < 0.95 ? QStringLiteral("zh-Hans")
                           : lang < 0.97 ? QStringLiteral("ru")
                                         : QStringLiteral("bn");
    if (m_rng.chance(0.08)) {
        static constexpr std::array notes = {
            "Prefers morning appointments.", "Hard of hearing; please speak clearly.",
            "Needs an interpreter at visits.", "Call before sending reminders by text.",
            "Anxious about needles; allow extra time."};
        p.notes = s(m_rng.pick(notes));
    }

    // Emergency contacts: a parent for children, a relative or friend for most adults.
    const int contacts = years < 18 ? 1 + (m_rng.chance(0.5) ? 1 : 0) : (m_rng.chance(0.7) ? 1 : 0);
    for (int c = 0; c < contacts; ++c) {
        PatientEmergencyContact ec;
        ec.id = m_ids.nextId<RowId>();
        static constexpr std::array adultRelations = {"spouse",   "partner", "sister", "brother",
                                                      "daughter", "son",     "friend"};
        QString relation = years < 18
                               ? (c == 0 ? QStringLiteral("mother") : QStringLiteral("father"))
                               : s(m_rng.pick(adultRelations));
        const bool contactFemale = relation == u"mother" || relation == u"sister" ||
                                   relation == u"daughter" || m_rng.chance(0.5);
        const QString given = s(contactFemale ? m_rng.pick(kFemaleNames) : m_rng.pick(kMaleNames));
        ec.name = given + QLatin1Char(' ') +
                  (relation == u"friend" || relation == u"partner" ? s(m_rng.pick(kFamilyNames))
                                                                   : p.family_name);
        ec.relationship = relation;
        ec.phone = QStringLiteral("+1") + s(m_rng.pick(kAreaCodes)) + QStringLiteral("555") +
                   digits(m_rng, 4);
        p.emergency_contacts << ec;
    }

    // Insurance: Medicare from 65, a commercial plan or Medicaid for most others.
    if (m_rng.chance(0.9)) {
        PatientInsurance ins;
        ins.id = m_ids.nextId<RowId>();
        if (years >= 65) {
            ins.payer = QStringLiteral("Medicare");
            ins.member_id = QString::number(1 + m_rng.below(9)) + letters(m_rng, 2) +
                            digits(m_rng, 1) + letters(m_rng, 2) + digits(m_rng, 1) +
                            letters(m_rng, 2) + digits(m_rng, 2);
            ins.valid_from =
                std::min(m_anchor, p.birth_date->addYears(65).addDays(m_rng.between(0, 60)));
        } else if (m_rng.chance(0.18)) {
            ins.payer = QStringLiteral("Medicaid");
            ins.member_id = letters(m_rng, 2) + digits(m_rng, 5) + letters(m_rng, 1);
            ins.valid_from = m_anchor.addDays(-m_rng.between(30, 900));
            ins.valid_to = QDate(m_anchor.year() + 1, m_rng.between(1, 12), 1).addDays(-1);
        } else {
            ins.payer = s(m_rng.pick(kPayers));
            ins.member_id = letters(m_rng, 3) + digits(m_rng, 9);
            ins.group_number = QStringLiteral("GRP-") + digits(m_rng, 5);
            ins.valid_from = m_anchor.addDays(-m_rng.between(30, 1500));
        }
        if (*ins.valid_from < *p.birth_date)
            ins.valid_from = *p.birth_date;
        ins.is_primary = true;
        p.insurance << ins;
        if (years < 65 && m_rng.chance(0.08)) {
            // An earlier plan that has ended.
            PatientInsurance old;
            old.id = m_ids.nextId<RowId>();
            old.payer = s(m_rng.pick(kPayers));
            old.member_id = letters(m_rng, 3) + digits(m_rng, 9);
            old.valid_to = ins.valid_from->addDays(-1);
            old.valid_from = old.valid_to->addYears(-2);
            if (*old.valid_from < *p.birth_date)
                old.valid_from = *p.birth_date;
            if (*old.valid_from <= *old.valid_to)
                p.insurance << old;
        }
    }

    // Allergies: about three patients in ten have one or two.
    if (m_rng.chance(0.3)) {
        const int count = m_rng.chance(0.75) ? 1 : 2;
        std::vector<int> chosen;
        for (int a = 0; a < count; ++a) {
            const int k = m_rng.below(int(kAllergies.size()));
            if (std::find(chosen.begin(), chosen.end(), k) != chosen.end())
                continue;
            chosen.push_back(k);
            const AllergyDef &d = kAllergies[size_t(k)];
            PatientAllergy al;
            al.id = m_ids.nextId<RowId>();
            al.substance = s(d.substance);
            al.category = d.category;
            al.criticality = d.criticality;
            al.reaction = s(d.reaction);
            al.severity = d.severity;
            al.status = AllergyStatus::Active;
            p.allergies << al;
        }
    }

    // Conditions by age, plus now and then a resolved one.
    for (const ConditionDef &d : kConditions) {
        if (years < d.minAge || years > d.maxAge || !m_rng.chance(d.chance))
            continue;
        PatientCondition c;
        c.id = m_ids.nextId<RowId>();
        c.icd10_code = s(d.code);
        c.description = s(d.description);
        const int maxBack = std::max(30, std::min(years - d.minAge, 20) * 365);
        c.onset_date = m_anchor.addDays(-m_rng.between(30, maxBack));
        if (*c.onset_date < *p.birth_date)
            c.onset_date = *p.birth_date;
        c.status = ConditionStatus::Active;
        p.conditions << c;
    }
    if (m_rng.chance(0.1)) {
        PatientCondition c;
        c.id = m_ids.nextId<RowId>();
        c.icd10_code = QStringLiteral("J02.9");
        c.description = QStringLiteral("Acute pharyngitis, unspecified");
        c.onset_date = std::max(*p.birth_date, m_anchor.addDays(-m_rng.between(120, 1500)));
        c.status = ConditionStatus::Resolved;
        p.conditions << c;
    }
    return p;
}

void Seeder::makeBaseline(PatientState &ps)
{
    const Patient &p = ps.patient;
    const int age = ps.age;
    const bool female = p.sex == Sex::Female;
    for (const PatientCondition &c : p.conditions) {
        if (c.status != ConditionStatus::Active)
            continue;
        ps.hypertensive = ps.hypertensive || c.icd10_code == u"I10";
        ps.diabetic = ps.diabetic || c.icd10_code == u"E11.9";
    }
    if (ps.child) {
        // Rough growth-chart averages.
        const double height = age == 0 ? 65 : age == 1 ? 76 : age == 2 ? 87 : 87 + (age - 2) * 6.3;
        ps.heightCm = height * (1 + m_rng.normal(0, 0.04));
        const double bmi = clamp(m_rng.normal(age < 2 ? 17 : 16.5 + age * 0.15, 1.5), 13, 30);
        ps.weightKg = bmi * (ps.heightCm / 100) * (ps.heightCm / 100);
        ps.heartRate = age < 2    ? m_rng.normal(125, 8)
                       : age < 6  ? m_rng.normal(105, 8)
                       : age < 12 ? m_rng.normal(90, 8)
                                  : m_rng.normal(78, 8);
        ps.respiratoryRate = age < 2    ? m_rng.normal(32, 3)
                             : age < 6  ? m_rng.normal(24, 2)
                             : age < 12 ? m_rng.normal(20, 2)
                                        : m_rng.normal(16, 2);
        ps.systolic = 95 + age * 1.2 + m_rng.normal(0, 5);
        ps.diastolic = 58 + age * 0.6 + m_rng.normal(0, 4);
        ps.spo2 = 98;
    } else {
        ps.heightCm = female ? m_rng.normal(162, 7) : m_rng.normal(176, 7.5);
        const double bmi = clamp(m_rng.normal(27, 5), 17.5, 46);
        ps.weightKg = bmi * (ps.heightCm / 100) * (ps.heightCm / 100);
        ps.heartRate = m_rng.normal(74, 8);
        ps.respiratoryRate = m_rng.normal(15, 2);
        ps.systolic = 108 + age * 0.3 + m_rng.normal(0, 7) + (ps.hypertensive ? 22 : 0);
        ps.diastolic = 68 + age * 0.1 + m_rng.normal(0, 5) + (ps.hypertensive ? 10 : 0);
        ps.spo2 = age >= 70 ? m_rng.between(94, 97) : m_rng.between(96, 99);
    }
    ps.weightSlopePerDay = m_rng.normal(0, 0.02);
}

Status Seeder::seedPatients()
{
    m_patients.reserve(size_t(m_options.patients));
    for (int i = 0; i < m_options.patients; ++i) {
        PatientState ps;
        ps.patient = makePatient(i);
        ps.age = int(ps.patient.ageOn(m_anchor).value_or(0));
        ps.child = ps.age < 18;
        // Children see the pediatrician; adults one of the other three.
        ps.primaryProvider = ps.child ? 2 : std::array{0, 1, 3}[size_t(m_rng.below(3))];
        // BMI 30 and more is recorded as obesity.
        makeBaseline(ps);
        const double bmi = ps.weightKg / ((ps.heightCm / 100) * (ps.heightCm / 100));
        if (!ps.child && bmi >= 30 && m_rng.chance(0.6)) {
            PatientCondition c;
            c.id = m_ids.nextId<RowId>();
            c.icd10_code = QStringLiteral("E66.9");
            c.description = QStringLiteral("Obesity, unspecified");
            c.onset_date =
                std::max(*ps.patient.birth_date, m_anchor.addDays(-m_rng.between(200, 3000)));
            c.status = ConditionStatus::Active;
            ps.patient.conditions << c;
        }
        // The front desk registers patients; one who comes with a problem list is registered by
        // their primary provider, as only a provider may write conditions.
        const Principal registrar = ps.patient.conditions.isEmpty()
                                        ? person(kFrontDeskUser)
                                        : providerPrincipal(ps.primaryProvider);
        auto stored = PatientStore(m_db, registrar).create(ps.patient);
        SEED_TRY(stored, QStringLiteral("patient %1").arg(i + 1));
        ps.patient = *stored;
        (ps.child ? m_children : m_adults).push_back(i);
        m_patients.push_back(std::move(ps));
    }
    m_summary.patients = int(m_patients.size());
    return {};
}

Result<bool> Seeder::prescribe(PatientState &ps, const RxDef &def, int provider, QDate start,
                               const std::optional<ConsultationId> &consultation, bool acute)
{
    Prescription rx;
    rx.id = m_ids.nextId<PrescriptionId>();
    rx.clinic_id = m_clinic.id;
    rx.patient_id = ps.patient.id;
    rx.provider_id = m_providers.at(provider).id;
    rx.consultation_id = consultation;
    rx.medication_code = s(def.code);
    rx.strength = s(def.strength);
    rx.form = s(def.form);
    rx.dose_amount = def.dose;
    rx.dose_unit = s(def.unit);
    rx.route = QStringLiteral("oral");
    rx.frequency = def.frequency;
    rx.as_needed = def.asNeeded;
    rx.duration_days = def.days;
    if (def.asNeeded)
        rx.quantity = def.prnQuantity;
    else if (isCountableUnit(rx.dose_unit))
        rx.quantity = def.dose * dosesPerDay(def.frequency) * def.days +
                      (rx.medication_code == u"18631" ? 1 : 0); // azithromycin's loading dose
    rx.refills = def.refills;
    rx.start_date = start;
    rx.instructions = s(def.instructions);
    // Only what the checks allow: never an interaction or allergy alert, never a dose above the
    // formulary's maximum (the store would refuse it anyway).
    for (const Prescription &p : ps.current)
        if (p.medication_code == rx.medication_code)
            return false;
    QList<PrescriptionAlert> alerts;
    const FieldErrors errors = validatePrescription(rx, ps.current, ps.patient.allergies, &alerts);
    if (!alerts.isEmpty())
        return false;
    if (!errors.isEmpty())
        return prefixed(Error::invalid(errors), QStringLiteral("a prescription"));
    const PrescriptionStore store(m_db, providerPrincipal(provider));
    auto stored = store.create(rx);
    SEED_TRY(stored, QStringLiteral("a prescription for patient %1").arg(ps.patient.mrn));
    ++m_summary.prescriptions;
    Prescription out = *stored;
    // A course that has run out by the anchor day is completed.
    if (acute && out.end_date() && *out.end_date() < m_anchor) {
        auto done = store.complete(out.id);
        SEED_TRY(done, QStringLiteral("completing a prescription"));
        return true;
    }
    ps.current << out;
    return true;
}

Status Seeder::seedStandingPrescriptions()
{
    // Long-term medication of each active condition, written at an earlier visit of the
    // patient's usual provider and running over the anchor day.
    for (PatientState &ps : m_patients) {
        for (const PatientCondition &c : ps.patient.conditions) {
            if (c.status != ConditionStatus::Active)
                continue;
            const RxDef *def = chronicRx(c.icd10_code, ps.age);
            if (!def || (ps.age < 2))
                continue;
            const QDate start = std::max(*c.onset_date, m_anchor.addDays(-m_rng.between(5, 80)));
            // Skipped for e.g. an allergy: this patient does without.
            SEED_TRY(prescribe(ps, *def, ps.primaryProvider, start, std::nullopt, false),
                     QStringLiteral("standing prescriptions"));
        }
    }
    return {};
}

Status Seeder::seedSchedule()
{
    const QDate first = m_anchor.addDays(-30);
    const QDate last = m_anchor.addDays(29);
    // How full the books are: about four visits per patient over the two months, at most three
    // quarters of the slots.
    qint64 capacity = 0;
    for (QDate day = first; day <= last; day = day.addDays(1))
        for (const Provider &p : m_providers)
            capacity += freeSlots(m_clinic, p, day, {}, p.default_slot_minutes).size();
    const double fill =
        capacity == 0 ? 0 : std::min(0.75, 4.0 * m_options.patients / double(capacity));

    std::vector<Booking> bookings;
    for (QDate day = first; day <= last; day = day.addDays(1)) {
        QList<Appointment> dayBooked;
        std::vector<int> patientsToday;
        const bool past = day < m_anchor;
        for (int pi = 0; pi < int(m_providers.size()); ++pi) {
            const Provider &provider = m_providers.at(pi);
            const ProviderDef &def = providerDefs()[size_t(pi)];
            const int slot = provider.default_slot_minutes;
            QDateTime busyUntil;
            for (const QDateTime &t : freeSlots(m_clinic, provider, day, {}, slot)) {
                if (busyUntil.isValid() && t < busyUntil)
                    continue;
                if (!m_rng.chance(fill))
                    continue;
                const std::vector<int> &pool = def.pediatric ? m_children : m_adults;
                if (pool.empty())
                    continue;
                int patient = -1;
                for (int attempt = 0; attempt < 8 && patient < 0; ++attempt) {
                    const int candidate = m_rng.pick(pool);
                    if (std::find(patientsToday.begin(), patientsToday.end(), candidate) ==
                        patientsToday.end())
                        patient = candidate;
                }
                if (patient < 0)
                    continue;
                PatientState &ps = m_patients[size_t(patient)];
                Booking b;
                b.appointment.id = m_ids.nextId<AppointmentId>();
                b.provider = pi;
                b.patient = patient;
                Appointment &a = b.appointment;
                a.clinic_id = m_clinic.id;
                a.patient_id = ps.patient.id;
                a.provider_id = provider.id;
                a.start_at = t;
                a.status = AppointmentStatus::Scheduled;
                // What kind of visit.
                QList<int> chronic;
                for (int c = 0; c < ps.patient.conditions.size(); ++c)
                    if (ps.patient.conditions.at(c).status == ConditionStatus::Active)
                        chronic << c;
                const double kind = m_rng.unit();
                bool longVisit = false;
                if (kind < 0.10) {
                    a.type = AppointmentType::NewPatient;
                    a.reason = QStringLiteral("Establish care");
                    longVisit = true;
                } else if (kind < 0.22) {
                    a.type = AppointmentType::AnnualPhysical;
                    a.reason = ps.child ? QStringLiteral("Well-child visit")
                                        : QStringLiteral("Annual physical");
                    longVisit = true;
                } else if (kind < 0.30 && !ps.child) {
                    a.type = AppointmentType::Procedure;
                    a.reason = m_rng.chance(0.5) ? QStringLiteral("Ear wax removal")
                                                 : QStringLiteral("Skin lesion removal");
                    longVisit = true;
                } else if (kind < 0.50 || chronic.isEmpty()) {
                    a.type = AppointmentType::Urgent;
                    int k = 0;
                    do {
                        k = m_rng.below(int(kAcute.size()));
                    } while ((kAcute[size_t(k)].adultOnly && ps.child) ||
                             (!ps.child && qstrcmp(kAcute[size_t(k)].code, "H66.90") == 0));
                    b.acute = k;
                    a.reason = s(kAcute[size_t(k)].reason);
                } else {
                    a.type = kind < 0.62 ? AppointmentType::Telehealth : AppointmentType::FollowUp;
                    b.condition = chronic.at(m_rng.below(int(chronic.size())));
                    const QString code = ps.patient.conditions.at(b.condition).icd10_code;
                    a.reason = QStringLiteral("Follow-up");
                    for (const ConditionDef &d : kConditions)
                        if (code == QLatin1String(d.code))
                            a.reason = s(d.followUpReason);
                }
                a.duration_minutes = slot * (longVisit ? 2 : 1);
                if (a.type != AppointmentType::Telehealth)
                    a.room = s(def.room);
                if (a.type == AppointmentType::Telehealth)
                    a.notes = QStringLiteral("Video visit; link sent by text.");
                FieldErrors errors = validateAppointment(a, m_clinic, provider, dayBooked);
                if (!errors.isEmpty() && longVisit) {
                    a.duration_minutes = slot;
                    errors = validateAppointment(a, m_clinic, provider, dayBooked);
                }
                if (!errors.isEmpty())
                    continue;
                // Statuses that fit the time: the past is done (or missed, or called off), the
                // future booked, the next days mostly confirmed.
                const double roll = m_rng.unit();
                if (past)
                    b.plan = roll < 0.10   ? Plan::Cancelled
                             : roll < 0.18 ? Plan::NoShow
                                           : Plan::Completed;
                else
                    b.plan = roll < (m_anchor.daysTo(day) <= 2 ? 0.7 : 0.2) ? Plan::Confirmed
                                                                            : Plan::Scheduled;
                dayBooked << a;
                patientsToday.push_back(patient);
                busyUntil = a.end_at();
                bookings.push_back(b);
            }
        }
    }
    std::stable_sort(bookings.begin(), bookings.end(), [](const Booking &x, const Booking &y) {
        return std::tie(x.appointment.start_at, x.provider) <
               std::tie(y.appointment.start_at, y.provider);
    });
    for (Booking &b : bookings) {
        if (Status st = writeBooking(b); !st)
            return st;
        if (b.plan == Plan::Completed)
            if (Status st = writeVisit(b); !st)
                return st;
    }
    return {};
}

Status Seeder::writeBooking(Booking &b)
{
    const AppointmentStore desk(m_db, person(kFrontDeskUser));
    const AppointmentStore clinician(m_db, providerPrincipal(b.provider));
    const QString what =
        QStringLiteral("appointment %1").arg(formatInstant(b.appointment.start_at));
    auto stored = desk.create(b.appointment);
    SEED_TRY(stored, what);
    ++m_summary.appointments;
    const AppointmentId id = b.appointment.id;
    const bool confirmFirst =
        b.plan == Plan::Confirmed || (b.plan != Plan::Scheduled && m_rng.chance(0.7));
    if (confirmFirst && b.plan != Plan::Cancelled)
        SEED_TRY(desk.confirm(id), what);
    switch (b.plan) {
    case Plan::Completed:
        SEED_TRY(desk.checkIn(id), what);
        SEED_TRY(clinician.start(id), what);
        SEED_TRY(clinician.complete(id), what);
        break;
    case Plan::NoShow:
        SEED_TRY(desk.noShow(id), what);
        break;
    case Plan::Cancelled: {
        static constexpr std::array reasons = {"Patient request", "Patient feeling better",
                                               "Scheduling conflict", "Illness in the family",
                                               "Transportation problem"};
        SEED_TRY(desk.cancel(id, s(m_rng.pick(reasons))), what);
        break;
    }
    case Plan::Scheduled:
    case Plan::Confirmed:
        break;
    }
    return {};
}

Vitals Seeder::makeVitals(PatientState &ps, const Booking &b)
{
    Vitals v;
    v.id = m_ids.nextId<VitalsId>();
    v.clinic_id = m_clinic.id;
    v.patient_id = ps.patient.id;
    v.appointment_id = b.appointment.id;
    v.recorded_at = b.appointment.start_at.addSecs(5 * 60);
    v.recorded_by = m_summary.users.at(kNurseUser).id;
    const qint64 daysSinceStart = m_anchor.addDays(-30).daysTo(b.appointment.start_at.date());
    const bool fever = b.acute >= 0 && kAcute[size_t(b.acute)].fever && m_rng.chance(0.6);

    // Blood pressure drifts down over visits once a hypertensive patient is treated; a few
    // readings are well above the patient's usual.
    double sbp = ps.systolic - (ps.hypertensive ? 2.5 * ps.visits : 0) + m_rng.normal(0, 6);
    double dbp = ps.diastolic - (ps.hypertensive ? 1.2 * ps.visits : 0) + m_rng.normal(0, 4);
    if (m_rng.chance(0.03)) {
        sbp += 45;
        dbp += 18;
    }
    sbp = clamp(std::round(sbp), 70, 230);
    dbp = clamp(std::round(dbp), 40, sbp - 20);
    if (!ps.child || ps.age >= 3) {
        v.systolic_mmhg = sbp;
        v.diastolic_mmhg = dbp;
    }
    double hr = ps.heartRate + m_rng.normal(0, 5) + (fever ? 15 : 0);
    v.heart_rate_bpm = clamp(std::round(hr), 35, 200);
    v.respiratory_rate =
        clamp(std::round(ps.respiratoryRate + m_rng.normal(0, 1.5) + (fever ? 3 : 0)), 8, 60);
    double temp = m_rng.normal(36.7, 0.2);
    if (fever)
        temp = 38.0 + m_rng.unit() * 1.7; // 38.0-39.7: a few critical
    v.temperature_c = round1(temp);
    double spo2 = ps.spo2 + (m_rng.chance(0.5) ? 0 : (m_rng.chance(0.5) ? 1 : -1));
    if (m_rng.chance(0.03) || (fever && m_rng.chance(0.15)))
        spo2 = m_rng.between(89, 93);
    v.spo2_pct = clamp(spo2, 80, 100);
    // Children grow, adults' weight drifts slowly.
    const double height = ps.heightCm + (ps.child ? daysSinceStart * 6.0 / 365 : 0);
    v.height_cm = round1(height + m_rng.normal(0, 0.3));
    v.weight_kg = round1(
        std::max(2.5, ps.weightKg + ps.weightSlopePerDay * daysSinceStart + m_rng.normal(0, 0.4)));
    int pain = 0;
    if (b.acute >= 0) {
        const AcuteDef &d = kAcute[size_t(b.acute)];
        pain = m_rng.between(d.painMin, d.painMax);
    } else {
        pain = m_rng.chance(0.7) ? 0 : m_rng.between(1, 3);
    }
    v.pain_score = pain;
    if (ps.diabetic) {
        double glucose = m_rng.normal(155, 30);
        if (m_rng.chance(0.05))
            glucose = m_rng.between(410, 460);
        else if (m_rng.chance(0.04))
            glucose = m_rng.between(48, 60);
        v.glucose_mg_dl = clamp(std::round(glucose), 40, 600);
    } else if (!ps.child && m_rng.chance(0.1)) {
        v.glucose_mg_dl = std::round(m_rng.normal(95, 10));
    }
    return v;
}

Status Seeder::writeVisit(const Booking &b)
{
    PatientState &ps = m_patients[size_t(b.patient)];
    const Appointment &a = b.appointment;
    const QString what = QStringLiteral("the visit of %1").arg(formatInstant(a.start_at));
    std::optional<Vitals> vitals;
    if (a.type != AppointmentType::Telehealth) {
        Vitals v = makeVitals(ps, b);
        auto stored = VitalsStore(m_db, person(kNurseUser)).create(v);
        SEED_TRY(stored, what);
        vitals = *stored;
        ++m_summary.vitals;
    }
    ++ps.visits;

    Consultation c;
    c.id = m_ids.nextId<ConsultationId>();
    c.clinic_id = m_clinic.id;
    c.patient_id = ps.patient.id;
    c.provider_id = m_providers.at(b.provider).id;
    c.appointment_id = a.id;
    c.started_at = a.start_at.addSecs(a.type == AppointmentType::Telehealth ? 0 : 10 * 60);
    c.chief_complaint = a.reason;
    const QString who = QStringLiteral("%1-year-old %2")
                            .arg(ps.age)
                            .arg(ps.patient.sex == Sex::Female ? QStringLiteral("female")
                                 : ps.patient.sex == Sex::Male ? QStringLiteral("male")
                                                               : QStringLiteral("patient"));
    QString vitalsText;
    if (vitals) {
        if (vitals->systolic_mmhg)
            vitalsText += QStringLiteral("BP %1/%2 mmHg, ")
                              .arg(*vitals->systolic_mmhg)
                              .arg(*vitals->diastolic_mmhg);
        vitalsText += QStringLiteral("HR %1/min, T %2 °C, SpO2 %3%.")
                          .arg(*vitals->heart_rate_bpm)
                          .arg(*vitals->temperature_c, 0, 'f', 1)
                          .arg(*vitals->spo2_pct);
    }
    auto addDiagnosis = [&](const QString &code, const QString &description) {
        for (const ConsultationDiagnosis &d : c.diagnoses)
            if (d.icd10_code == code)
                return;
        ConsultationDiagnosis d;
        d.id = m_ids.nextId<RowId>();
        d.icd10_code = code;
        d.description = description;
        d.is_primary = c.diagnoses.isEmpty();
        c.diagnoses << d;
    };
    const RxDef *rx = nullptr;
    const RxDef *alternative = nullptr;
    bool acuteRx = false;
    if (b.acute >= 0) {
        const AcuteDef &d = kAcute[size_t(b.acute)];
        c.history = QStringLiteral("%1 with %2 for %3 days.")
                        .arg(who, s(d.reason).toLower())
                        .arg(m_rng.between(1, 6));
        c.examination = vitalsText.isEmpty()
                            ? QStringLiteral("Examined.")
                            : QStringLiteral("%1 Focused examination consistent with the history.")
                                  .arg(vitalsText);
        c.assessment = s(d.description) + QLatin1Char('.');
        addDiagnosis(s(d.code), s(d.description));
        c.plan = d.first
                     ? QStringLiteral("Medication as prescribed; fluids and rest. Return if worse.")
                     : QStringLiteral("Supportive care; fluids and rest. Return if worse.");
        if (m_rng.chance(0.4)) {
            c.follow_up_days = 14;
            c.follow_up_instructions = QStringLiteral("Come back in two weeks if not better.");
        }
        rx = d.first;
        alternative = d.second;
        acuteRx = true;
    } else if (b.condition >= 0) {
        const PatientCondition &cond = ps.patient.conditions.at(b.condition);
        c.history =
            QStringLiteral("%1 seen for %2. Taking medication as prescribed; no new complaints.")
                .arg(who, cond.description.toLower());
        c.examination = vitalsText.isEmpty() ? QStringLiteral("Video visit: alert, in no distress.")
                                             : vitalsText;
        c.assessment = QStringLiteral("%1, stable.").arg(cond.description);
        addDiagnosis(cond.icd10_code, cond.description);
        c.plan = QStringLiteral("Continue current treatment. Labs before the next visit.");
        c.follow_up_days = 90;
        c.follow_up_instructions = QStringLiteral("Book a follow-up in three months.");
        // Continue the usual medication when the patient has none for this condition.
        const RxDef *def = chronicRx(cond.icd10_code, ps.age);
        bool has = false;
        for (const Prescription &p : ps.current)
            has = has || (def && p.medication_code == QLatin1String(def->code));
        if (def && !has)
            rx = def;
    } else {
        const bool child = ps.child;
        if (a.type == AppointmentType::Procedure) {
            const bool wax = a.reason.startsWith(QStringLiteral("Ear"));
            addDiagnosis(wax ? QStringLiteral("H61.23") : QStringLiteral("L82.1"),
                         wax ? QStringLiteral("Impacted cerumen, bilateral")
                             : QStringLiteral("Other seborrheic keratosis"));
            c.history = QStringLiteral("%1 for %2.").arg(who, a.reason.toLower());
            c.examination = vitalsText;
            c.assessment = QStringLiteral("Procedure done without complications.");
            c.plan = QStringLiteral("Keep the area clean and dry.");
        } else {
            addDiagnosis(child ? QStringLiteral("Z00.129") : QStringLiteral("Z00.00"),
                         child ? QStringLiteral("Encounter for routine child health examination "
                                                "without abnormal findings")
                               : QStringLiteral("Encounter for general adult medical examination "
                                                "without abnormal findings"));
            c.history = QStringLiteral("%1 here for %2.").arg(who, a.reason.toLower());
            c.examination = QStringLiteral("%1 General examination unremarkable.").arg(vitalsText);
            c.assessment = QStringLiteral("Healthy; preventive care up to date.");
            c.plan =
                child
                    ? QStringLiteral("Vaccines per schedule. Next well-child visit in a year.")
                    : QStringLiteral("Routine labs ordered. Age-appropriate screening discussed.");
            c.follow_up_date = a.start_at.date().addYears(1);
        }
    }
    // Known long-term conditions are listed after the reason for the visit.
    int extra = 0;
    for (const PatientCondition &cond : ps.patient.conditions)
        if (cond.status == ConditionStatus::Active && extra < 2 &&
            cond.icd10_code != c.diagnoses.value(0).icd10_code) {
            addDiagnosis(cond.icd10_code, cond.description);
            ++extra;
        }

    const ConsultationStore notes(m_db, providerPrincipal(b.provider));
    auto stored = notes.create(c);
    SEED_TRY(stored, what);
    ++m_summary.consultations;
    // Notes of the last days are partly still drafts, and now and then an older one.
    const bool recent = a.start_at.date().daysTo(m_anchor) <= 3;
    const bool draft = recent ? m_rng.chance(0.5) : m_rng.chance(0.02);
    if (!draft)
        SEED_TRY(notes.sign(c.id), what);

    if (rx) {
        const QDate start = a.start_at.toTimeZone(m_zone).date();
        auto written = prescribe(ps, *rx, b.provider, start, c.id, acuteRx);
        if (written && !*written && alternative)
            written = prescribe(ps, *alternative, b.provider, start, c.id, acuteRx);
        SEED_TRY(written, what);
    }
    return {};
}

} // namespace

Result<SeedSummary> seedDemoData(const Database &db, const SeedOptions &options)
{
    const QDate today = todayUtc();
    const QDate anchor = options.today.isValid() ? options.today : today;
    FieldErrors errors;
    if (options.patients < 1 || options.patients > 100000)
        errors.append({QStringLiteral("patients"), QStringLiteral("range"),
                       QStringLiteral("Seed between 1 and 100000 patients; %1 asked for.")
                           .arg(options.patients)});
    if (anchor > today)
        errors.append({QStringLiteral("today"), QStringLiteral("future"),
                       QStringLiteral("The anchor day %1 is after today (%2): vitals cannot be "
                                      "recorded in the future.")
                           .arg(formatDate(anchor), formatDate(today))});
    else if (anchor.daysTo(today) > kMaxSeedAnchorAgeDays)
        errors.append({QStringLiteral("today"), QStringLiteral("range"),
                       QStringLiteral("The anchor day %1 is more than %2 days before today (%3); "
                                      "the demo providers' licences would have expired.")
                           .arg(formatDate(anchor))
                           .arg(kMaxSeedAnchorAgeDays)
                           .arg(formatDate(today))});
    if (!errors.isEmpty())
        return Error::invalid(errors);

    // All or nothing: a seed that fails anywhere leaves the database empty, and the stores'
    // writes inside it need no savepoints.
    Transaction tx(db, Transaction::Nesting::AllOrNothing);
    if (!tx.started())
        return tx.started().error();
    auto clinics = RecordTable(db, u"clinics").select(QStringLiteral("id IS NOT NULL"), {}, {}, 1);
    if (!clinics)
        return clinics.error();
    if (!clinics->isEmpty())
        return Error::invalid(QStringLiteral("database"), QStringLiteral("not_empty"),
                              QStringLiteral("This database already holds a clinic; seed fills "
                                             "only an empty database."));
    Seeder seeder(db, options, anchor);
    auto summary = seeder.run();
    if (!summary)
        return summary.error();
    if (db.isSqlite())
        if (Status st = setSyncStateValue(db, QStringLiteral("demo"), QStringLiteral("1")); !st)
            return st.error();
    if (Status st = tx.commit(); !st)
        return st.error();
    return summary;
}

} // namespace tmdash
