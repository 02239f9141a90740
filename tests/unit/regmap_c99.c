/* The generated register-map headers are valid C99 (ctest regmap_headers_c99 compiles this with
 * -std=c99 -pedantic -Werror): a driver written in C includes them as they are. */
#include "hlskit/hw/ap_ctrl_hs_hw.h"
#include "hlskit/hw/autoencoder_hw.h"
#include "hlskit/hw/svm_hw.h"

unsigned start_word(void);
unsigned start_word(void) {
  return XSVM_CONTROL_AP_START | XAUTOENCODER_CONTROL_AUTO_RESTART | HLSKIT_AP_CTRL_IER_DONE |
         (unsigned)XSVM_CONTROL_ADDR_SUPPORT_VECTOR_BASE;
}
