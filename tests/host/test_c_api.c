/* hlskit_host.h from C (compiled as C99): every call's status, the messages of
 * hlskit_last_error(), a run of the tests' mac kernel (hlskit_test_open_mac, C++ support code)
 * checked against the outputs computed here, the refusals, and NULL arguments. Exit status 0 only
 * when every check passed. */
#include <hlskit_host.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hlskit_test_open_mac(hlskit_device* device, const char* config, hlskit_kernel** kernel);

static int failures = 0;

#define CHECK(cond)                                                         \
  do {                                                                      \
    if (!(cond)) {                                                          \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                           \
    }                                                                       \
  } while (0)

#define CHECK_STATUS(call, status)                                                               \
  do {                                                                                           \
    int s_ = (call);                                                                             \
    if (s_ != (status)) {                                                                        \
      fprintf(stderr, "%s:%d: %s returned %d, expected %d (%s)\n", __FILE__, __LINE__, #call, s_, \
              (int)(status), hlskit_last_error());                                               \
      ++failures;                                                                                \
    }                                                                                            \
  } while (0)

#define CHECK_MESSAGE(needle)                                                                       \
  do {                                                                                              \
    if (strstr(hlskit_last_error(), (needle)) == NULL) {                                            \
      fprintf(stderr, "%s:%d: '%s' not in the last error '%s'\n", __FILE__, __LINE__, (needle),      \
              hlskit_last_error());                                                                 \
      ++failures;                                                                                   \
    }                                                                                               \
  } while (0)

int main(void) {
  hlskit_device* dev = NULL;
  hlskit_device* other = NULL;
  hlskit_kernel* k = NULL;
  hlskit_buffer *in = NULL, *out = NULL, *small = NULL, *foreign = NULL;
  hlskit_run *r = NULL, *r2 = NULL;
  size_t in_item = 0, out_item = 0, size = 0, i;
  uint64_t address = 0, cycles = 1;
  double ns = 1;
  hlskit_state state = HLSKIT_STATE_IDLE;
  enum { items = 100 };
  uint8_t input[6 * items], output[3 * items], expected[3 * items];

  CHECK(strcmp(hlskit_last_error(), "") == 0);

  /* devices */
  CHECK_STATUS(hlskit_device_open("fpga", &dev), HLSKIT_ERROR);
  CHECK(dev == NULL);
  CHECK_MESSAGE("unknown backend 'fpga' (this build has: csim");
  CHECK_STATUS(hlskit_device_open("csim", &dev), HLSKIT_OK);
  CHECK(dev != NULL && strcmp(hlskit_device_name(dev), "csim") == 0);
  CHECK_STATUS(hlskit_device_open(NULL, &other), HLSKIT_OK);
  CHECK_STATUS(hlskit_device_open("csim", NULL), HLSKIT_INVALID_ARGUMENT);
  CHECK_MESSAGE("hlskit_device_open: device is NULL");

  /* kernels */
  CHECK_STATUS(hlskit_kernel_open(dev, "nosuchkernel", NULL, &k), HLSKIT_ERROR);
  CHECK_MESSAGE("unknown kernel 'nosuchkernel'");
  CHECK(k == NULL);
  CHECK_STATUS(hlskit_kernel_open(dev, NULL, NULL, &k), HLSKIT_INVALID_ARGUMENT);
  CHECK_STATUS(hlskit_test_open_mac(dev, "narrow", &k), HLSKIT_OK);
  CHECK_STATUS(hlskit_kernel_item_bytes(k, &in_item, &out_item), HLSKIT_ERROR);
  CHECK_MESSAGE("mac/narrow: no model loaded");
  CHECK_STATUS(hlskit_kernel_load_model(k, "/nonexistent/mac.model"), HLSKIT_ERROR);
  CHECK_MESSAGE("/nonexistent/mac.model: cannot open the model");
  CHECK_STATUS(hlskit_kernel_load_model(k, NULL), HLSKIT_OK);
  CHECK_STATUS(hlskit_kernel_item_bytes(k, &in_item, &out_item), HLSKIT_OK);
  CHECK(in_item == 6 && out_item == 3);

  /* buffers */
  CHECK_STATUS(hlskit_buffer_alloc(dev, 0, &in), HLSKIT_ERROR);
  CHECK_MESSAGE("a buffer of 0 bytes");
  CHECK_STATUS(hlskit_buffer_alloc(dev, items * in_item, &in), HLSKIT_OK);
  CHECK_STATUS(hlskit_buffer_alloc(dev, items * out_item, &out), HLSKIT_OK);
  CHECK_STATUS(hlskit_buffer_alloc(dev, items * out_item - 1, &small), HLSKIT_OK);
  CHECK_STATUS(hlskit_buffer_alloc(other, items * in_item, &foreign), HLSKIT_OK);
  CHECK_STATUS(hlskit_buffer_size(out, &size), HLSKIT_OK);
  CHECK(size == items * out_item);
  CHECK_STATUS(hlskit_buffer_address(out, &address), HLSKIT_OK);
  CHECK(address != 0);
  for (i = 0; i < 3 * items; ++i) {
    unsigned v = (unsigned)((i * 2654435761u) >> 7) & 0xFFFu;
    input[2 * i] = (uint8_t)(v & 0xFF);
    input[2 * i + 1] = (uint8_t)(v >> 8);
  }
  for (i = 0; i < items; ++i) {
    unsigned sum = 0, b;
    for (b = 0; b < 3; ++b) sum += (unsigned)(input[6 * i + 2 * b] | (input[6 * i + 2 * b + 1] << 8));
    sum = (2 * sum) & 0xFFFFFu;  /* narrow's default model: gain 2 */
    expected[3 * i] = (uint8_t)(sum & 0xFF);
    expected[3 * i + 1] = (uint8_t)((sum >> 8) & 0xFF);
    expected[3 * i + 2] = (uint8_t)(sum >> 16);
  }
  CHECK_STATUS(hlskit_buffer_write(in, input, sizeof input, 1), HLSKIT_ERROR);
  CHECK_MESSAGE("buffer write of 600 bytes at offset 1 is out of range: the buffer holds 600 bytes");
  CHECK_STATUS(hlskit_buffer_write(in, NULL, 1, 0), HLSKIT_INVALID_ARGUMENT);
  CHECK_STATUS(hlskit_buffer_write(in, input, sizeof input, 0), HLSKIT_OK);
  CHECK_STATUS(hlskit_buffer_sync(in, HLSKIT_SYNC_TO_DEVICE), HLSKIT_OK);
  CHECK_STATUS(hlskit_buffer_sync(in, 7), HLSKIT_INVALID_ARGUMENT);
  CHECK_MESSAGE("hlskit_buffer_sync: direction 7 is neither HLSKIT_SYNC_TO_DEVICE nor HLSKIT_SYNC_FROM_DEVICE");

  /* refusals: nothing started */
  CHECK_STATUS(hlskit_run_start(k, in, small, items, &r), HLSKIT_ERROR);
  CHECK_MESSAGE("mac/narrow: buffer 'out' holds 299 bytes, 100 items need 300 bytes (3 bytes per item)");
  CHECK(r == NULL);
  CHECK_STATUS(hlskit_run_start(k, foreign, out, items, &r), HLSKIT_ERROR);
  CHECK_MESSAGE("buffer 'in' belongs to another device");

  /* a run */
  CHECK_STATUS(hlskit_run_start(k, in, out, items, &r), HLSKIT_OK);
  CHECK_STATUS(hlskit_run_state(r, &state), HLSKIT_OK);
  CHECK(state == HLSKIT_STATE_RUNNING);
  CHECK_STATUS(hlskit_run_cycles(r, &cycles), HLSKIT_ERROR);
  CHECK_MESSAGE("known once a wait has observed its completion");
  CHECK_STATUS(hlskit_run_start(k, in, out, items, &r2), HLSKIT_ERROR);
  CHECK_MESSAGE("mac/narrow: busy: the previous run (100 items) has not been waited to completion");
  CHECK(r2 == NULL);
  CHECK_STATUS(hlskit_run_wait(r, 5000), HLSKIT_OK);
  CHECK_STATUS(hlskit_run_state(r, &state), HLSKIT_OK);
  CHECK(state == HLSKIT_STATE_COMPLETED);
  CHECK_STATUS(hlskit_run_cycles(r, &cycles), HLSKIT_OK);
  CHECK_STATUS(hlskit_run_simulated_ns(r, &ns), HLSKIT_OK);
  CHECK(cycles == 0 && ns == 0.0);
  CHECK_STATUS(hlskit_buffer_sync(out, HLSKIT_SYNC_FROM_DEVICE), HLSKIT_OK);
  CHECK_STATUS(hlskit_buffer_read(out, output, sizeof output, 0), HLSKIT_OK);
  CHECK(memcmp(output, expected, sizeof output) == 0);

  /* closing in any order; NULL is a no-op */
  hlskit_device_close(dev);
  hlskit_device_close(other);
  CHECK_STATUS(hlskit_run_start(k, in, out, items, &r2), HLSKIT_OK);
  CHECK_STATUS(hlskit_run_wait(r2, 5000), HLSKIT_OK);
  hlskit_run_close(r2);
  hlskit_run_close(r);
  hlskit_buffer_free(in);
  hlskit_buffer_free(out);
  hlskit_buffer_free(small);
  hlskit_buffer_free(foreign);
  hlskit_kernel_close(k);
  hlskit_device_close(NULL);
  hlskit_kernel_close(NULL);
  hlskit_buffer_free(NULL);
  hlskit_run_close(NULL);
  CHECK_STATUS(hlskit_run_wait(NULL, 1), HLSKIT_INVALID_ARGUMENT);
  CHECK_MESSAGE("hlskit_run_wait: run is NULL");

  if (failures != 0) {
    fprintf(stderr, "test_c_api: %d checks failed\n", failures);
    return 1;
  }
  printf("test_c_api: all checks passed\n");
  return 0;
}
