// The fixture files themselves: each one is present, parses, records the PyTorch version
// that wrote it and holds cases; and the reader gives back the exact values the generator
// wrote (the other reference tests rely on that).
#include "fixture.h"

#include <cmath>
#include <limits>

namespace cmp::reference {
namespace {

TEST(ReferenceFixtures, EveryFileLoadsWithVersionAndCases) {
    for (const char* file : {"promotion.json", "pointwise.json", "reduce.json", "matmul.json", "convert.json",
                             "views.json", "arange.json"}) {
        SCOPED_TRACE(file);
        try {
            const Json& doc = load_fixture(file);
            EXPECT_FALSE(doc.at("torch_version").as_string().empty());
            EXPECT_GT(doc.at("cases").size(), 0u);
        } catch (const std::exception& e) {
            ADD_FAILURE() << e.what();
        }
    }
}

TEST(ReferenceFixtures, ReaderKeepsExactValues) {
    Json doc = Json::parse(R"({"a": [-0.0, "NaN", "Infinity", "-Infinity", 0.1, 9223372036854775807,
                                    -9223372036854775808, 1e-320, true], "s": "x\"y\\\u0041"})");
    const Json& a = doc.at("a");
    EXPECT_EQ(a.at(size_t{0}).as_double(), 0.0);
    EXPECT_TRUE(std::signbit(a.at(size_t{0}).as_double()));
    EXPECT_TRUE(std::isnan(a.at(size_t{1}).as_double()));
    EXPECT_EQ(a.at(size_t{2}).as_double(), std::numeric_limits<double>::infinity());
    EXPECT_EQ(a.at(size_t{3}).as_double(), -std::numeric_limits<double>::infinity());
    EXPECT_EQ(a.at(size_t{4}).as_double(), 0.1);
    EXPECT_EQ(a.at(size_t{5}).as_int(), std::numeric_limits<int64_t>::max());
    EXPECT_EQ(a.at(size_t{6}).as_int(), std::numeric_limits<int64_t>::min());
    EXPECT_EQ(a.at(size_t{7}).as_double(), 1e-320);
    EXPECT_TRUE(a.at(size_t{8}).as_bool());
    EXPECT_EQ(doc.at("s").as_string(), "x\"y\\A");
    EXPECT_THROW(Json::parse("[1, 2"), std::runtime_error);
    EXPECT_THROW(doc.at("missing"), std::runtime_error);
}

}  // namespace
}  // namespace cmp::reference
