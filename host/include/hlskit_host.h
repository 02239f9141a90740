/* The hlskit host runtime for drivers written in C (C99): the C++ API of <hlskit/host.hpp>
 * behind opaque handles. docs/HOST.md is the user guide.
 *
 *   hlskit_device* dev;  hlskit_kernel* k;  hlskit_buffer *in, *out;  hlskit_run* r;
 *   size_t in_item, out_item;
 *   if (hlskit_device_open("", &dev) != HLSKIT_OK) { fprintf(stderr, "%s\n", hlskit_last_error()); ... }
 *   hlskit_kernel_open(dev, "autoencoder", "econt", &k);
 *   hlskit_kernel_load_model(k, "");                       (the embedded default model)
 *   hlskit_kernel_item_bytes(k, &in_item, &out_item);
 *   hlskit_buffer_alloc(dev, items * in_item, &in);  hlskit_buffer_alloc(dev, items * out_item, &out);
 *   hlskit_buffer_write(in, codes, items * in_item, 0);  hlskit_buffer_sync(in, HLSKIT_SYNC_TO_DEVICE);
 *   hlskit_run_start(k, in, out, items, &r);
 *   hlskit_run_wait(r, 5000);                              (HLSKIT_TIMEOUT when not done in 5 s)
 *   hlskit_buffer_sync(out, HLSKIT_SYNC_FROM_DEVICE);  hlskit_buffer_read(out, result, items * out_item, 0);
 *   hlskit_run_close(r); hlskit_buffer_free(in); hlskit_buffer_free(out); hlskit_kernel_close(k);
 *   hlskit_device_close(dev);
 *
 * Every function that can fail returns an int status: HLSKIT_OK (0), or a negative code, with
 * the message (the C++ exception's text) in hlskit_last_error(), which is per thread and stays
 * until the thread's next failing call. A failing call changes nothing and leaves its output
 * pointer untouched. Handles are independent references: closing a device while its kernels or
 * buffers are open is allowed (the device lives until the last of them is closed). Closing NULL
 * is a no-op. Buffers hold raw stream bytes in the layout of <hlskit/kernel.hpp> and K_hw.h.
 */
#ifndef HLSKIT_HOST_H
#define HLSKIT_HOST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  HLSKIT_OK = 0,
  HLSKIT_ERROR = -1,            /* hlskit::error: unknown name, bad model, too-small buffer, busy, ... */
  HLSKIT_TIMEOUT = -2,          /* hlskit::timeout_error: the run has not completed (wait again) */
  HLSKIT_INVALID_ARGUMENT = -3, /* a NULL handle or pointer where one is required */
  HLSKIT_OUT_OF_MEMORY = -4     /* the host could not allocate */
};

typedef enum { HLSKIT_SYNC_TO_DEVICE = 0, HLSKIT_SYNC_FROM_DEVICE = 1 } hlskit_sync_direction;
typedef enum { HLSKIT_STATE_IDLE = 0, HLSKIT_STATE_RUNNING = 1, HLSKIT_STATE_COMPLETED = 2 } hlskit_state;

typedef struct hlskit_device hlskit_device;
typedef struct hlskit_kernel hlskit_kernel;
typedef struct hlskit_buffer hlskit_buffer;
typedef struct hlskit_run hlskit_run;

/* The message of this thread's last failing call ("" when none has failed). */
const char* hlskit_last_error(void);

/* name: "csim", "systemc", "rtl", or NULL / "" for $HLSKIT_EMULATION, else "csim". */
int hlskit_device_open(const char* name, hlskit_device** device);
void hlskit_device_close(hlskit_device* device);
/* The backend's name; valid while the handle is open. NULL for a NULL handle. */
const char* hlskit_device_name(const hlskit_device* device);

/* config: NULL or "" for the kernel's first (paper) config. */
int hlskit_kernel_open(hlskit_device* device, const char* name, const char* config, hlskit_kernel** kernel);
/* path: NULL or "" for the config's embedded default model. */
int hlskit_kernel_load_model(hlskit_kernel* kernel, const char* path);
/* Bytes per input and per output item of the loaded model (either pointer may be NULL). */
int hlskit_kernel_item_bytes(const hlskit_kernel* kernel, size_t* input_bytes, size_t* output_bytes);
void hlskit_kernel_close(hlskit_kernel* kernel);

/* bytes >= 1 of zero-filled device memory and its host copy. */
int hlskit_buffer_alloc(hlskit_device* device, size_t bytes, hlskit_buffer** buffer);
int hlskit_buffer_write(hlskit_buffer* buffer, const void* src, size_t bytes, size_t offset);
int hlskit_buffer_read(const hlskit_buffer* buffer, void* dst, size_t bytes, size_t offset);
/* direction: an hlskit_sync_direction (an int, so that any value reaches the check). */
int hlskit_buffer_sync(hlskit_buffer* buffer, int direction);
int hlskit_buffer_size(const hlskit_buffer* buffer, size_t* bytes);
int hlskit_buffer_address(const hlskit_buffer* buffer, uint64_t* address);
void hlskit_buffer_free(hlskit_buffer* buffer);

/* Starts `items` items from `in` to `out` (refused, with nothing written or started, when no
 * model is loaded, a buffer is too small or of another device, or the kernel is busy). */
int hlskit_run_start(hlskit_kernel* kernel, hlskit_buffer* in, hlskit_buffer* out, size_t items, hlskit_run** run);
/* HLSKIT_OK once completed; HLSKIT_TIMEOUT when not within timeout_ms (the run goes on). */
int hlskit_run_wait(hlskit_run* run, uint32_t timeout_ms);
int hlskit_run_state(const hlskit_run* run, hlskit_state* state);
/* Of a completed run (HLSKIT_ERROR before): ap_clk cycles, simulated time in ns (0 on csim). */
int hlskit_run_cycles(const hlskit_run* run, uint64_t* cycles);
int hlskit_run_simulated_ns(const hlskit_run* run, double* nanoseconds);
void hlskit_run_close(hlskit_run* run);

#ifdef __cplusplus
}
#endif

#endif /* HLSKIT_HOST_H */
