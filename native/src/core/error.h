// Errors inside the native library: C++ exceptions carrying a cmp_status. The abi layer
// catches them at the boundary and turns them into a status plus cmp_last_error().
#pragma once

#include <compute/compute.h>

#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace cmp {

class Error : public std::runtime_error {
public:
    Error(cmp_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    cmp_status status() const noexcept { return status_; }

private:
    cmp_status status_;
};

// Concatenates anything printable with operator<< (vectors of int64 print as [a, b]).
std::string shape_str(const std::vector<int64_t>& shape);

namespace detail {
inline void append(std::ostringstream&) {}
template <typename T, typename... Rest>
void append(std::ostringstream& os, const T& v, const Rest&... rest) {
    if constexpr (std::is_same_v<T, std::vector<int64_t>>) os << shape_str(v);
    else os << v;
    append(os, rest...);
}
}  // namespace detail

template <typename... Args>
std::string str(const Args&... args) {
    std::ostringstream os;
    detail::append(os, args...);
    return os.str();
}

[[noreturn]] inline void fail(cmp_status status, const std::string& message) { throw Error(status, message); }

}  // namespace cmp

// CMP_CHECK(cond, STATUS_SUFFIX, parts...): throws cmp::Error(CMP_STATUS_<suffix>, str(parts...)).
#define CMP_CHECK(cond, status, ...)                                           \
    do {                                                                       \
        if (!(cond)) ::cmp::fail(CMP_STATUS_##status, ::cmp::str(__VA_ARGS__)); \
    } while (0)
