// janus/janus.hpp: the rule table and the static engine (target janus::janus).
#pragma once

#include "janus/rules.hpp"
#include "janus/static.hpp"
