// The fake backend's streams, events and pinned host memory (fake_streams.cpp), and the hooks by
// which fake_backend.cpp's allocator, copies and launches note the stream they were given.
#pragma once

#include "fake_backend.h"

#include <cstdint>

namespace fake_streams {

// The fake's priorities run from 0 (least) to kGreatestPriority, as a GPU's from 0 to -5.
constexpr int32_t kGreatestPriority = -3;

int32_t stream_create_with_priority(int32_t device, int32_t priority, void** out);
int32_t stream_priority_range(int32_t device, int32_t* least, int32_t* greatest);
int32_t stream_priority(void* stream, int32_t* out);
int32_t stream_destroy(void* stream);
int32_t stream_synchronize(void* stream);
int32_t stream_query(void* stream, int32_t* done);
int32_t stream_wait_event(void* stream, void* event);
int32_t event_create(int32_t device, int32_t timing, void** out);
int32_t event_destroy(void* event);
int32_t event_record(void* event, void* stream);
int32_t event_synchronize(void* event);
int32_t event_query(void* event, int32_t* done);
int32_t event_elapsed_ms(void* start, void* end, float* out);
int32_t host_allocate(int64_t nbytes, void** out);
int32_t host_deallocate(void* ptr);
int32_t host_record(void* ptr, int32_t device, void* stream);
int32_t record_stream(void* ptr, void* stream);

void note_allocate(void* stream, void* ptr);
void note_memcpy(void* stream, int32_t async);
void note_launch(void* stream);
const FakeStreamLog* stream_log();

// Failures leave their message where the fake's last_error reads it (fake_backend.cpp).
int32_t fail(int32_t status, const char* message);

}  // namespace fake_streams
