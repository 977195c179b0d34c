// Implementation of fixture.h: the JSON reader, fixture loading, tensor builders and the
// value comparison used by every test_reference_*.cpp.
#include "fixture.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#ifndef COMPUTE_FIXTURES_DIR
#error "COMPUTE_FIXTURES_DIR must name tests/reference/fixtures (set by tests/native/CMakeLists.txt)"
#endif

namespace cmp::reference {

// ---------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------

namespace {
[[noreturn]] void json_error(const std::string& what) { throw std::runtime_error("fixture JSON: " + what); }
}  // namespace

class JsonParser {
public:
    explicit JsonParser(std::string_view text) : s_(text) {}

    Json document() {
        Json v = value();
        skip_space();
        if (pos_ != s_.size()) fail("trailing characters");
        return v;
    }

private:
    std::string_view s_;
    size_t pos_ = 0;

    [[noreturn]] void fail(const char* what) const { json_error(std::string(what) + " at byte " + std::to_string(pos_)); }

    void skip_space() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) ++pos_;
    }

    char peek() {
        skip_space();
        if (pos_ >= s_.size()) fail("unexpected end");
        return s_[pos_];
    }

    void expect(char c) {
        if (peek() != c) fail((std::string("expected '") + c + "'").c_str());
        ++pos_;
    }

    bool literal(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    Json value() {
        Json v;
        char c = peek();
        if (c == '{') {
            v.kind_ = Json::Kind::Object;
            ++pos_;
            if (peek() == '}') return ++pos_, v;
            for (;;) {
                std::string key = string();
                expect(':');
                v.members_.emplace_back(std::move(key), value());
                if (peek() == ',') { ++pos_; continue; }
                expect('}');
                return v;
            }
        }
        if (c == '[') {
            v.kind_ = Json::Kind::Array;
            ++pos_;
            if (peek() == ']') return ++pos_, v;
            for (;;) {
                v.items_.push_back(value());
                if (peek() == ',') { ++pos_; continue; }
                expect(']');
                return v;
            }
        }
        if (c == '"') {
            v.kind_ = Json::Kind::String;
            v.text_ = string();
            return v;
        }
        if (literal("true")) { v.kind_ = Json::Kind::Bool; v.bool_ = true; return v; }
        if (literal("false")) { v.kind_ = Json::Kind::Bool; v.bool_ = false; return v; }
        if (literal("null")) return v;
        // A number: keep its text; as_int/as_double convert it exactly when asked.
        size_t start = pos_;
        while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '-' ||
                                    s_[pos_] == '+' || s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E'))
            ++pos_;
        if (start == pos_) fail("unexpected character");
        v.kind_ = Json::Kind::Number;
        v.text_ = std::string(s_.substr(start, pos_ - start));
        return v;
    }

    // Strings in the fixtures are names, dtypes and PyTorch messages: ASCII with the usual
    // escapes. \u escapes below 0x80 are decoded; others are kept as written (messages only).
    std::string string() {
        expect('"');
        std::string out;
        while (pos_ < s_.size() && s_[pos_] != '"') {
            char c = s_[pos_++];
            if (c != '\\') { out += c; continue; }
            if (pos_ >= s_.size()) fail("bad escape");
            char e = s_[pos_++];
            switch (e) {
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                case 'r': out += '\r'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'u': {
                    if (pos_ + 4 > s_.size()) fail("bad \\u escape");
                    unsigned code = 0;
                    auto res = std::from_chars(s_.data() + pos_, s_.data() + pos_ + 4, code, 16);
                    if (res.ptr != s_.data() + pos_ + 4) fail("bad \\u escape");
                    if (code < 0x80) out += static_cast<char>(code);
                    else out += "\\u" + std::string(s_.substr(pos_, 4));
                    pos_ += 4;
                    break;
                }
                default: out += e; break;  // \" \\ \/
            }
        }
        if (pos_ >= s_.size()) fail("unterminated string");
        ++pos_;
        return out;
    }
};

Json Json::parse(std::string_view text) { return JsonParser(text).document(); }

bool Json::has(std::string_view key) const {
    if (kind_ != Kind::Object) return false;
    for (const auto& [k, v] : members_)
        if (k == key) return true;
    return false;
}

const Json& Json::at(std::string_view key) const {
    if (kind_ != Kind::Object) json_error("not an object when looking up \"" + std::string(key) + "\"");
    for (const auto& [k, v] : members_)
        if (k == key) return v;
    json_error("missing key \"" + std::string(key) + "\"");
}

size_t Json::size() const {
    if (kind_ != Kind::Array) json_error("not an array");
    return items_.size();
}

const Json& Json::at(size_t index) const {
    if (kind_ != Kind::Array || index >= items_.size()) json_error("array index " + std::to_string(index) + " out of range");
    return items_[index];
}

const std::vector<Json>& Json::items() const {
    if (kind_ != Kind::Array) json_error("not an array");
    return items_;
}

int64_t Json::as_int() const {
    if (kind_ == Kind::Bool) return bool_ ? 1 : 0;
    if (kind_ != Kind::Number) json_error("not an integer");
    int64_t v = 0;
    auto res = std::from_chars(text_.data(), text_.data() + text_.size(), v);
    if (res.ec != std::errc() || res.ptr != text_.data() + text_.size()) json_error("not an int64: " + text_);
    return v;
}

double Json::as_double() const {
    if (kind_ == Kind::String) {
        if (text_ == "NaN") return std::nan("");
        if (text_ == "Infinity") return INFINITY;
        if (text_ == "-Infinity") return -INFINITY;
        json_error("not a number: \"" + text_ + "\"");
    }
    if (kind_ != Kind::Number) json_error("not a number");
    // from_chars is exact (correctly rounded) and locale-independent; Python wrote the
    // shortest text that round-trips, so this gives back the very double PyTorch held.
    double v = 0;
    auto res = std::from_chars(text_.data(), text_.data() + text_.size(), v);
    if (res.ec != std::errc() || res.ptr != text_.data() + text_.size()) json_error("not a double: " + text_);
    return v;
}

bool Json::as_bool() const {
    if (kind_ == Kind::Bool) return bool_;
    if (kind_ == Kind::Number) return as_int() != 0;
    json_error("not a bool");
}

const std::string& Json::as_string() const {
    if (kind_ != Kind::String) json_error("not a string");
    return text_;
}

const Json& load_fixture(const std::string& file_name) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<Json>> cache;
    std::lock_guard lock(mutex);
    auto it = cache.find(file_name);
    if (it != cache.end()) return *it->second;
    std::string path = std::string(COMPUTE_FIXTURES_DIR) + "/" + file_name;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open fixture " + path + " (regenerate with tests/reference/generate.py)");
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto doc = std::make_unique<Json>(Json::parse(buffer.str()));
    if (!doc->has("cases")) throw std::runtime_error(path + ": no \"cases\"");
    return *cache.emplace(file_name, std::move(doc)).first->second;
}

std::vector<const Json*> fixture_cases(const std::string& file_name) {
    std::vector<const Json*> out;
    try {
        for (const Json& c : load_fixture(file_name).at("cases").items()) out.push_back(&c);
    } catch (const std::exception&) {
        out.clear();  // reported by the FixtureFiles test
    }
    return out;
}

std::string case_name(const ::testing::TestParamInfo<const Json*>& info) { return info.param->at("name").as_string(); }

// ---------------------------------------------------------------------------------------
// Building library objects
// ---------------------------------------------------------------------------------------

namespace {
struct DTypeInfo {
    cmp_dtype dtype;
    const char* name;
    int64_t size;
};
constexpr DTypeInfo kDTypes[] = {
    {CMP_DTYPE_FLOAT32, "float32", 4}, {CMP_DTYPE_FLOAT64, "float64", 8}, {CMP_DTYPE_FLOAT16, "float16", 2},
    {CMP_DTYPE_BFLOAT16, "bfloat16", 2}, {CMP_DTYPE_INT64, "int64", 8}, {CMP_DTYPE_INT32, "int32", 4},
    {CMP_DTYPE_INT16, "int16", 2}, {CMP_DTYPE_INT8, "int8", 1}, {CMP_DTYPE_UINT8, "uint8", 1},
    {CMP_DTYPE_BOOL, "bool", 1},
};

const DTypeInfo& info_of(cmp_dtype d) {
    for (const auto& i : kDTypes)
        if (i.dtype == d) return i;
    throw std::runtime_error("unknown cmp_dtype value " + std::to_string(static_cast<int>(d)));
}
}  // namespace

cmp_dtype dtype_from_name(const std::string& name) {
    for (const auto& i : kDTypes)
        if (name == i.name) return i.dtype;
    throw std::runtime_error("fixture names unknown dtype \"" + name + "\"");
}

const char* dtype_to_name(cmp_dtype dtype) {
    for (const auto& i : kDTypes)
        if (i.dtype == dtype) return i.name;
    return "<invalid dtype>";
}

int64_t dtype_size(cmp_dtype dtype) { return info_of(dtype).size; }

bool dtype_is_floating(cmp_dtype d) {
    return d == CMP_DTYPE_FLOAT32 || d == CMP_DTYPE_FLOAT64 || d == CMP_DTYPE_FLOAT16 || d == CMP_DTYPE_BFLOAT16;
}

void check(cmp_status status, const char* call) {
    if (status != CMP_STATUS_OK)
        throw std::runtime_error(std::string(call) + " failed with status " + std::to_string(static_cast<int>(status)) +
                                 ": " + cmp_last_error());
}

cmp_scalar scalar_from_json(const Json& j) {
    const std::string& kind = j.at("scalar").as_string();
    cmp_scalar s{};
    if (kind == "float") {
        s.kind = CMP_SCALAR_FLOAT;
        s.f = j.at("value").as_double();
    } else if (kind == "int") {
        s.kind = CMP_SCALAR_INT;
        s.i = j.at("value").as_int();
    } else if (kind == "bool") {
        s.kind = CMP_SCALAR_BOOL;
        s.i = j.at("value").as_int() != 0;
    } else {
        throw std::runtime_error("fixture scalar of unknown kind \"" + kind + "\"");
    }
    return s;
}

namespace {
std::vector<int64_t> int_list(const Json& j) {
    std::vector<int64_t> out;
    for (const Json& v : j.items()) out.push_back(v.as_int());
    return out;
}

template <typename T>
void put(std::vector<unsigned char>& bytes, T v) {
    unsigned char raw[sizeof(T)];
    std::memcpy(raw, &v, sizeof(T));
    bytes.insert(bytes.end(), raw, raw + sizeof(T));
}

// The row-major bytes of a fixture tensor in its dtype. float16/bfloat16 data are stored as
// bit patterns, so every dtype is reproduced exactly (float32 values are exact doubles).
std::vector<unsigned char> fixture_bytes(const Json& t, cmp_dtype dtype) {
    std::vector<unsigned char> bytes;
    for (const Json& v : t.at("data").items()) {
        switch (dtype) {
            case CMP_DTYPE_FLOAT32: put(bytes, static_cast<float>(v.as_double())); break;
            case CMP_DTYPE_FLOAT64: put(bytes, v.as_double()); break;
            case CMP_DTYPE_FLOAT16:
            case CMP_DTYPE_BFLOAT16: put(bytes, static_cast<uint16_t>(v.as_int())); break;
            case CMP_DTYPE_INT64: put(bytes, v.as_int()); break;
            case CMP_DTYPE_INT32: put(bytes, static_cast<int32_t>(v.as_int())); break;
            case CMP_DTYPE_INT16: put(bytes, static_cast<int16_t>(v.as_int())); break;
            case CMP_DTYPE_INT8: put(bytes, static_cast<int8_t>(v.as_int())); break;
            case CMP_DTYPE_UINT8: put(bytes, static_cast<uint8_t>(v.as_int())); break;
            case CMP_DTYPE_BOOL: put(bytes, static_cast<uint8_t>(v.as_int() != 0)); break;
        }
    }
    return bytes;
}
}  // namespace

Tensor make_tensor(const Json& t) {
    cmp_dtype dtype = dtype_from_name(t.at("dtype").as_string());
    std::vector<int64_t> shape = int_list(t.at("shape"));
    std::vector<unsigned char> bytes = fixture_bytes(t, dtype);
    // An empty tensor has no bytes; hand over a valid address anyway so that the test is
    // about empty shapes, not about null pointers.
    unsigned char placeholder = 0;
    const void* data = bytes.empty() ? &placeholder : bytes.data();
    cmp_tensor raw = nullptr;
    check(cmp_from_buffer(data, static_cast<int64_t>(bytes.size()), shape.data(), static_cast<int64_t>(shape.size()),
                          dtype, &raw),
          "cmp_from_buffer");
    Tensor out(raw);
    if (t.has("permute")) {
        std::vector<int64_t> dims = int_list(t.at("permute"));
        cmp_tensor permuted = nullptr;
        check(cmp_permute(out.get(), dims.data(), static_cast<int64_t>(dims.size()), &permuted), "cmp_permute");
        out.reset(permuted);
    }
    return out;
}

Tensor make_operand(const Json& j) {
    if (!j.has("scalar")) return make_tensor(j);
    cmp_tensor raw = nullptr;
    check(cmp_scalar_tensor(scalar_from_json(j), cmp_device{CMP_DEVICE_CPU, 0}, &raw), "cmp_scalar_tensor");
    return Tensor(raw);
}

std::vector<int64_t> sizes_of(cmp_tensor t) {
    int64_t ndim = 0;
    check(cmp_tensor_ndim(t, &ndim), "cmp_tensor_ndim");
    std::vector<int64_t> out(static_cast<size_t>(ndim));
    check(cmp_tensor_sizes(t, out.data(), ndim), "cmp_tensor_sizes");
    return out;
}

std::vector<int64_t> strides_of(cmp_tensor t) {
    int64_t ndim = 0;
    check(cmp_tensor_ndim(t, &ndim), "cmp_tensor_ndim");
    std::vector<int64_t> out(static_cast<size_t>(ndim));
    check(cmp_tensor_strides(t, out.data(), ndim), "cmp_tensor_strides");
    return out;
}

cmp_dtype dtype_of(cmp_tensor t) {
    cmp_dtype d{};
    check(cmp_tensor_dtype(t, &d), "cmp_tensor_dtype");
    return d;
}

// ---------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------

namespace {
// IEEE binary16 bits -> value (written out rather than borrowed from the library, so the
// tests do not trust the code they test).
double half_to_double(uint16_t h) {
    int sign = (h >> 15) & 1;
    int exponent = (h >> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    double v;
    if (exponent == 0) v = std::ldexp(mantissa, -24);
    else if (exponent == 31) v = mantissa ? std::nan("") : INFINITY;
    else v = std::ldexp(mantissa + 1024, exponent - 25);
    return sign ? -v : v;
}

// bfloat16 is the top half of a float32.
double bfloat16_to_double(uint16_t b) { return std::bit_cast<float>(static_cast<uint32_t>(b) << 16); }

// One floating element: its value and its bit pattern in its own dtype, widened to 64 bits.
struct FloatElem {
    double value;
    uint64_t bits;
};

int bit_width(cmp_dtype d) { return static_cast<int>(dtype_size(d)) * 8; }

FloatElem float_from_bits(cmp_dtype d, uint64_t bits) {
    switch (d) {
        case CMP_DTYPE_FLOAT32: return {std::bit_cast<float>(static_cast<uint32_t>(bits)), bits};
        case CMP_DTYPE_FLOAT64: return {std::bit_cast<double>(bits), bits};
        case CMP_DTYPE_FLOAT16: return {half_to_double(static_cast<uint16_t>(bits)), bits};
        default: return {bfloat16_to_double(static_cast<uint16_t>(bits)), bits};
    }
}

FloatElem expected_float(cmp_dtype d, const Json& v) {
    if (d == CMP_DTYPE_FLOAT16 || d == CMP_DTYPE_BFLOAT16) return float_from_bits(d, static_cast<uint64_t>(v.as_int()));
    if (d == CMP_DTYPE_FLOAT32) return float_from_bits(d, std::bit_cast<uint32_t>(static_cast<float>(v.as_double())));
    return float_from_bits(d, std::bit_cast<uint64_t>(v.as_double()));
}

FloatElem actual_float(cmp_dtype d, const unsigned char* p) {
    uint64_t bits = 0;
    switch (dtype_size(d)) {
        case 2: { uint16_t b; std::memcpy(&b, p, 2); bits = b; break; }
        case 4: { uint32_t b; std::memcpy(&b, p, 4); bits = b; break; }
        default: std::memcpy(&bits, p, 8); break;
    }
    return float_from_bits(d, bits);
}

int64_t actual_int(cmp_dtype d, const unsigned char* p) {
    switch (d) {
        case CMP_DTYPE_INT64: { int64_t v; std::memcpy(&v, p, 8); return v; }
        case CMP_DTYPE_INT32: { int32_t v; std::memcpy(&v, p, 4); return v; }
        case CMP_DTYPE_INT16: { int16_t v; std::memcpy(&v, p, 2); return v; }
        case CMP_DTYPE_INT8: { int8_t v; std::memcpy(&v, p, 1); return v; }
        default: { uint8_t v; std::memcpy(&v, p, 1); return v; }  // uint8, bool (raw byte: a bool must be 0 or 1)
    }
}

// Sign-magnitude bits -> a line where adjacent floats are adjacent integers and both zeros are 0.
int64_t ordered(uint64_t bits, int width) {
    uint64_t sign = uint64_t{1} << (width - 1);
    int64_t magnitude = static_cast<int64_t>(bits & (sign - 1));
    return (bits & sign) ? -magnitude : magnitude;
}

// The spacing between |e| and the next float of the dtype away from zero.
double ulp_at(cmp_dtype d, const FloatElem& e) {
    int width = bit_width(d);
    uint64_t magnitude = e.bits & ((uint64_t{1} << (width - 1)) - 1);
    FloatElem next = float_from_bits(d, magnitude + 1);
    FloatElem here = float_from_bits(d, magnitude);
    return next.value - here.value;
}

std::string fmt(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string shape_str(const std::vector<int64_t>& s) {
    std::string out = "[";
    for (size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
    return out + "]";
}
}  // namespace

double dtype_epsilon(cmp_dtype d) {
    switch (d) {
        case CMP_DTYPE_FLOAT32: return std::ldexp(1.0, -23);
        case CMP_DTYPE_FLOAT64: return std::ldexp(1.0, -52);
        case CMP_DTYPE_FLOAT16: return std::ldexp(1.0, -10);
        case CMP_DTYPE_BFLOAT16: return std::ldexp(1.0, -7);
        default: return 0.0;
    }
}

::testing::AssertionResult tensor_matches(cmp_tensor actual, const Json& expected, const Tolerance& tol) {
    try {
        cmp_dtype want_dtype = dtype_from_name(expected.at("dtype").as_string());
        cmp_dtype got_dtype = dtype_of(actual);
        std::vector<int64_t> want_shape = int_list(expected.at("shape"));
        std::vector<int64_t> got_shape = sizes_of(actual);
        if (got_dtype != want_dtype || got_shape != want_shape)
            return ::testing::AssertionFailure() << "expected " << dtype_to_name(want_dtype) << shape_str(want_shape)
                                                 << ", got " << dtype_to_name(got_dtype) << shape_str(got_shape);
        const auto& want = expected.at("data").items();
        int64_t numel = 0;
        check(cmp_tensor_numel(actual, &numel), "cmp_tensor_numel");
        if (static_cast<size_t>(numel) != want.size())
            return ::testing::AssertionFailure() << "numel " << numel << " but the fixture holds " << want.size() << " values";
        int64_t esize = dtype_size(got_dtype);
        std::vector<unsigned char> bytes(static_cast<size_t>(numel * esize) + 1);
        check(cmp_tensor_copy_to_buffer(actual, bytes.data(), numel * esize), "cmp_tensor_copy_to_buffer");
        const std::vector<Json>* bound = tol.abs_bound ? &tol.abs_bound->at("data").items() : nullptr;
        if (bound && bound->size() != want.size())
            return ::testing::AssertionFailure() << "fixture abs_bound holds " << bound->size() << " values for " << want.size();

        int64_t mismatches = 0;
        std::string report;
        for (size_t i = 0; i < want.size(); ++i) {
            const unsigned char* p = bytes.data() + i * static_cast<size_t>(esize);
            std::string line;
            if (!dtype_is_floating(got_dtype)) {
                int64_t w = want[i].as_int();
                int64_t g = actual_int(got_dtype, p);
                if (g != w) line = "expected " + std::to_string(w) + ", got " + std::to_string(g);
            } else {
                FloatElem w = expected_float(got_dtype, want[i]);
                FloatElem g = actual_float(got_dtype, p);
                bool ok;
                if (std::isnan(w.value) || std::isnan(g.value)) {
                    ok = std::isnan(w.value) && std::isnan(g.value);
                } else if (g.bits == w.bits) {
                    ok = true;
                } else if (std::isinf(w.value) && tol.ulps == 0) {
                    ok = false;  // an infinity is only approached within a ulp budget (FLT_MAX is 1 ulp away)
                } else {
                    int width = bit_width(got_dtype);
                    int64_t distance = ordered(g.bits, width) - ordered(w.bits, width);
                    if (distance < 0) distance = -distance;
                    // Exact means bit-exact: with no budget, -0.0 != +0.0.
                    bool within_ulps = tol.ulps > 0 && distance <= tol.ulps;
                    double allowed = tol.ulps * ulp_at(got_dtype, w);
                    if (bound) allowed += tol.bound_scale * (*bound)[i].as_double();
                    allowed += tol.underflow;
                    bool within_abs = (tol.ulps > 0 || bound || tol.underflow > 0) && std::isfinite(w.value) &&
                                      std::fabs(g.value - w.value) <= allowed;
                    ok = within_ulps || within_abs;
                    if (!ok)
                        line = "expected " + fmt(w.value) + ", got " + fmt(g.value) + " (" + std::to_string(distance) +
                               " ulps apart, allowed " + std::to_string(tol.ulps) + " ulps or " + fmt(allowed) + ")";
                }
                if (!ok && line.empty()) line = "expected " + fmt(w.value) + ", got " + fmt(g.value);
            }
            if (!line.empty()) {
                if (mismatches < 8) report += "\n  element " + std::to_string(i) + ": " + line;
                ++mismatches;
            }
        }
        if (mismatches)
            return ::testing::AssertionFailure() << mismatches << " of " << want.size() << " elements differ from PyTorch ("
                                                 << dtype_to_name(got_dtype) << shape_str(got_shape) << "):" << report;
        return ::testing::AssertionSuccess();
    } catch (const std::exception& e) {
        return ::testing::AssertionFailure() << e.what();
    }
}

::testing::AssertionResult fails_with_message(cmp_status status, const char* call) {
    if (status == CMP_STATUS_OK)
        return ::testing::AssertionFailure() << call << " succeeded, but PyTorch rejects this input";
    if (std::strlen(cmp_last_error()) == 0)
        return ::testing::AssertionFailure() << call << " failed with status " << static_cast<int>(status)
                                             << " but cmp_last_error() is empty";
    return ::testing::AssertionSuccess();
}

}  // namespace cmp::reference
