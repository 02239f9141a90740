// hlskit::stream<T>: the hls::stream of C simulation, a FIFO between dataflow processes.
#pragma once

#include <cstddef>
#include <deque>
#include <stdexcept>
#include <string>
#include <utility>

namespace hlskit {

// Reading an empty stream in C simulation is a deadlock in hardware: report it, don't hang.
class stream_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class T>
class stream {
 public:
  explicit stream(std::string name = "stream") : name_(std::move(name)) {}
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;

  void write(const T& value) { fifo_.push_back(value); }
  T read() {
    if (fifo_.empty()) throw stream_error("hlskit::stream '" + name_ + "': read from an empty stream");
    T value = fifo_.front();
    fifo_.pop_front();
    return value;
  }
  bool read_nb(T& value) {
    if (fifo_.empty()) return false;
    value = read();
    return true;
  }
  stream& operator<<(const T& value) { write(value); return *this; }
  stream& operator>>(T& value) { value = read(); return *this; }
  bool empty() const { return fifo_.empty(); }
  std::size_t size() const { return fifo_.size(); }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::deque<T> fifo_;
};

}  // namespace hlskit
