/* A dynamically linked executable (see exe_body.h). */
#include "exe_body.h"
