/* A downward include, which the check accepts. */
#include "models/platform/platform.h"
