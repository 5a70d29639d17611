#include "syncstatus.h"
