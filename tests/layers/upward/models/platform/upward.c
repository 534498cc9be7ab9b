/* A planted upward include: the platform layer reaching into the market above it. */
#include "models/platform/platform.h"
#include "models/market/market.h"
