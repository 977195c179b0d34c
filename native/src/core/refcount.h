// Intrusive, thread-safe reference counting shared by storages and tensors. The C handle of
// a tensor is the raw pointer to its TensorImpl, so the count must live inside the object.
#pragma once

#include <atomic>
#include <cstdint>
#include <utility>

namespace cmp {

class RefCounted {
public:
    RefCounted() = default;
    RefCounted(const RefCounted&) = delete;
    RefCounted& operator=(const RefCounted&) = delete;
    virtual ~RefCounted() = default;

    void retain() const noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
    void release() const noexcept {
        if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }
    int64_t use_count() const noexcept { return refs_.load(std::memory_order_acquire); }

private:
    mutable std::atomic<int64_t> refs_{1};
};

// Owning smart pointer over a RefCounted object. A freshly created object starts with one
// reference, which Ref::adopt takes over.
template <typename T>
class Ref {
public:
    Ref() = default;
    Ref(std::nullptr_t) {}
    static Ref adopt(T* p) { Ref r; r.p_ = p; return r; }
    static Ref borrow(T* p) { if (p) p->retain(); return adopt(p); }
    Ref(const Ref& o) : p_(o.p_) { if (p_) p_->retain(); }
    Ref(Ref&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    template <typename U>
    Ref(Ref<U>&& o) noexcept : p_(o.leak()) {}
    Ref& operator=(Ref o) noexcept { std::swap(p_, o.p_); return *this; }
    ~Ref() { if (p_) p_->release(); }

    T* get() const noexcept { return p_; }
    T* operator->() const noexcept { return p_; }
    T& operator*() const noexcept { return *p_; }
    explicit operator bool() const noexcept { return p_ != nullptr; }
    // Gives up ownership without releasing (used to hand a handle to C callers).
    T* leak() noexcept { return std::exchange(p_, nullptr); }

private:
    T* p_ = nullptr;
};

template <typename T, typename... Args>
Ref<T> make_ref(Args&&... args) { return Ref<T>::adopt(new T(std::forward<Args>(args)...)); }

}  // namespace cmp
