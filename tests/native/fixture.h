// Reading the PyTorch reference fixtures (tests/reference/fixtures/*.json, written by
// tests/reference/generate.py) and comparing library results with them.
//
// The reference tests reach the library ONLY through the public C ABI (compute/compute.h):
// they hold a library that a C caller sees, not its internals. This header brings:
//  - a small JSON reader, just what the fixture format needs (objects, arrays, strings,
//    numbers kept as their source text so int64 and doubles are read back exactly);
//  - builders that turn a fixture tensor or Python-scalar operand into a cmp_tensor;
//  - tensor_matches(), which compares a cmp_tensor with a fixture tensor: shape, dtype and
//    every value under a Tolerance that each test states (and justifies) per op.
#pragma once

#include <compute/compute.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cmp::reference {

// ---------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------

class Json {
public:
    enum class Kind { Null, Bool, Number, String, Array, Object };

    Kind kind() const { return kind_; }
    bool is_string() const { return kind_ == Kind::String; }
    bool is_null() const { return kind_ == Kind::Null; }

    // Object access: has() tests for a key; at() throws std::runtime_error naming a missing key.
    bool has(std::string_view key) const;
    const Json& at(std::string_view key) const;
    // Array access.
    size_t size() const;
    const Json& at(size_t index) const;
    const std::vector<Json>& items() const;

    // Values; each throws std::runtime_error when the kind does not fit.
    int64_t as_int() const;
    // A number, or one of the strings "NaN", "Infinity", "-Infinity" (JSON has no literal for them).
    double as_double() const;
    bool as_bool() const;
    const std::string& as_string() const;

    // Parses a whole document; throws std::runtime_error with the byte offset of a syntax error.
    static Json parse(std::string_view text);

private:
    friend class JsonParser;
    Kind kind_ = Kind::Null;
    bool bool_ = false;
    std::string text_;  // a string's value, or a number's source text
    std::vector<Json> items_;
    std::vector<std::pair<std::string, Json>> members_;
};

// A fixture file from tests/reference/fixtures, parsed once and kept for the whole run.
const Json& load_fixture(const std::string& file_name);

// The cases of a fixture file, as parameters for INSTANTIATE_TEST_SUITE_P. A file that cannot
// be read gives no cases; the FixtureFiles test then reports why.
std::vector<const Json*> fixture_cases(const std::string& file_name);

// The "name" of a case, used as the GoogleTest parameter name (generate.py keeps names to
// letters, digits and underscores, and unique per file).
std::string case_name(const ::testing::TestParamInfo<const Json*>& info);

// ---------------------------------------------------------------------------------------
// Building library objects from fixture values
// ---------------------------------------------------------------------------------------

struct TensorRelease {
    void operator()(cmp_tensor t) const { cmp_tensor_release(t); }
};
// One owned reference to a tensor handle.
using Tensor = std::unique_ptr<cmp_tensor_impl, TensorRelease>;

cmp_dtype dtype_from_name(const std::string& name);
const char* dtype_to_name(cmp_dtype dtype);
int64_t dtype_size(cmp_dtype dtype);
bool dtype_is_floating(cmp_dtype dtype);

// Throws std::runtime_error with the call, the status and cmp_last_error() when status is not OK.
void check(cmp_status status, const char* call);

// {"scalar": "int"|"float"|"bool", "value": ...} -> cmp_scalar.
cmp_scalar scalar_from_json(const Json& j);

// A CPU tensor holding the fixture data (contiguous, then permuted when the fixture asks for
// a non-contiguous view with "permute").
Tensor make_tensor(const Json& t);

// An op operand: a fixture tensor, or a Python scalar as a wrapped number (cmp_scalar_tensor).
Tensor make_operand(const Json& j);

// Shape and strides of a tensor through the ABI.
std::vector<int64_t> sizes_of(cmp_tensor t);
std::vector<int64_t> strides_of(cmp_tensor t);
cmp_dtype dtype_of(cmp_tensor t);

// ---------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------

// How far a floating result may be from PyTorch's. An element passes when it equals the
// expected one bit for bit, or is within `ulps` units in the last place of the expected dtype,
// or |actual - expected| <= bound_scale * abs_bound[i] + ulps * ulp(expected) + underflow. abs_bound is a
// per-element float64 tensor from the fixture (e.g. sum |x| for a reduction). NaN matches NaN
// whatever its sign and payload (PyTorch does not define them). With the default (exact)
// tolerance, -0.0 and +0.0 differ: the sign of zero is part of an IEEE result.
// Integer and bool results are always compared exactly.
struct Tolerance {
    int64_t ulps = 0;
    double bound_scale = 0.0;
    const Json* abs_bound = nullptr;
    // Absolute error allowed for results in the subnormal range, where a rounding errs by up to
    // half the smallest subnormal whatever the value (the underflow term of the usual
    // fl(a op b) = (a op b)(1 + d) + e model, which a bound relative to |terms| lacks).
    double underflow = 0.0;

    static Tolerance exact() { return {}; }
};

// Unit roundoff of a floating dtype (the spacing of values just above 1.0).
double dtype_epsilon(cmp_dtype dtype);

::testing::AssertionResult tensor_matches(cmp_tensor actual, const Json& expected, const Tolerance& tolerance);

// For a fixture case with "error": the call must fail with a non-OK status and a message.
::testing::AssertionResult fails_with_message(cmp_status status, const char* call);

}  // namespace cmp::reference
