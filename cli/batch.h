// Several models in one call: each model is converted by a child process of this
// executable (so one crash or memory spike cannot take the others down), up to --jobs at
// a time, with a progress display and a final table.
#pragma once

#include "cli/flags.h"

namespace t2o::cli {

// Returns 0 when every model converted, else the exit code of the first failed model in
// argument order.
int RunBatch(const CliFlags& flags, int argc, char** argv);

}  // namespace t2o::cli
