#pragma once

namespace tmdash {

// Named crash points for the fault tests: when TMDASH_SYNC_FAULT names this point, the process
// ends right there, as a crash or a power cut would (no cleanup: open transactions are left to
// the databases to roll back). Exit status 70.
//   before_send         a push batch is built but not sent
//   after_central_commit the central committed a push, the desktop has not acknowledged it
//   mid_pull_page       half of a pulled page is applied, its transaction not committed
void syncFaultPoint(const char *name);

} // namespace tmdash
