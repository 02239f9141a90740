/* TEMP (untracked) until gen_regmap lands */
#pragma once
#define XAUTOENCODER_CONTROL_ADDR_COUNT_DATA 0x10
#define XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE 0x1000
