// A vector that keeps its first N elements inside the object and moves to the heap only when
// it grows past them. The iteration engine builds a handful of these per op (operands, the
// coalesced shape, per-operand strides); with std::vector each was a malloc/free pair, which
// made allocation about a third of a 16-element op's time (docs/PERFORMANCE.md).
//
// Deliberately small: the inline slots are default-constructed T (cheap for int64_t, char* and
// Tensor, whose default is a null reference) and slots past size() are kept at T{} so that no
// element's resources outlive its removal.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <utility>
#include <vector>

namespace cmp {

template <typename T, size_t N>
class SmallVector {
public:
    SmallVector() = default;
    SmallVector(std::initializer_list<T> items) { for (const T& v : items) push_back(v); }
    // From a std::vector (callers that build their operand list dynamically).
    SmallVector(std::vector<T>&& items) {  // NOLINT(google-explicit-constructor): drop-in for std::vector
        if (items.size() > N) heap_ = std::move(items);
        else for (T& v : items) push_back(std::move(v));
        size_ = heap_.empty() ? size_ : heap_.size();
    }
    SmallVector(const std::vector<T>& items) {  // NOLINT(google-explicit-constructor)
        for (const T& v : items) push_back(v);
    }
    SmallVector(size_t n, const T& value) { assign(n, value); }

    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    T* data() { return on_heap() ? heap_.data() : inline_; }
    const T* data() const { return on_heap() ? heap_.data() : inline_; }
    T& operator[](size_t i) { return data()[i]; }
    const T& operator[](size_t i) const { return data()[i]; }
    T& back() { return data()[size_ - 1]; }
    const T& back() const { return data()[size_ - 1]; }
    T* begin() { return data(); }
    T* end() { return data() + size_; }
    const T* begin() const { return data(); }
    const T* end() const { return data() + size_; }

    void push_back(T value) {
        if (!on_heap() && size_ < N) {
            inline_[size_++] = std::move(value);
            return;
        }
        if (!on_heap()) spill(size_ + 1);
        heap_.push_back(std::move(value));
        ++size_;
    }

    void clear() {
        for (size_t i = 0; i < N; ++i) inline_[i] = T{};
        heap_.clear();
        size_ = 0;
    }

    void assign(size_t n, const T& value) {
        clear();
        if (n > N) heap_.assign(n, value);
        else for (size_t i = 0; i < n; ++i) inline_[i] = value;
        size_ = n;
    }

    void reserve(size_t n) {
        if (n > N && !on_heap()) spill(n);
    }

    std::vector<T> to_vector() const { return std::vector<T>(begin(), end()); }

    template <typename U>
    bool operator==(const U& other) const {
        if (size_ != static_cast<size_t>(other.size())) return false;
        for (size_t i = 0; i < size_; ++i)
            if (!((*this)[i] == other[i])) return false;
        return true;
    }

private:
    // Heap mode is "heap_ holds the elements"; an empty heap_ means inline (size_ <= N).
    bool on_heap() const { return !heap_.empty(); }
    void spill(size_t capacity) {
        heap_.reserve(capacity);
        for (size_t i = 0; i < size_; ++i) heap_.push_back(std::move(inline_[i]));
        for (size_t i = 0; i < N; ++i) inline_[i] = T{};
    }

    T inline_[N] = {};
    size_t size_ = 0;
    std::vector<T> heap_;
};

}  // namespace cmp
