// einsum: parse the equation, give every operand one common layout (the output's dims first,
// then the summed ones; a subscript an operand lacks is a size-1 dim there), then contract the
// operands left to right. Each pairwise contraction is one batched GEMM over permuted and
// reshaped views (dims in both operands -> batch, in the left only -> rows, right only ->
// columns, summed in both -> the inner dim); a dim summed in only one operand is summed there
// first. The order of those steps follows PyTorch's, which decides the result's dtype: a sum
// of an integer operand gives int64, a product without a summed dim is a broadcast multiply
// (dtypes promote), a contraction needs one dtype.
#include "ops/linalg_ops.h"

#include "core/promotion.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace cmp::ops {
namespace {

constexpr int kLetters = 52;     // subscripts A-Z then a-z (PyTorch's order for the implicit output)
constexpr int kEllipsis = -1;    // marks where "..." stands in a term

int letter_index(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return 26 + (c - 'a');
    return -2;
}

char letter_of(int id) { return static_cast<char>(id < 26 ? 'A' + id : 'a' + (id - 26)); }

struct Equation {
    std::vector<std::vector<int>> terms;  // per operand: letter ids and at most one kEllipsis
    bool explicit_output = false;
    std::vector<int> output;              // letter ids and at most one kEllipsis
};

// Parses one term from eq[begin, end); `what` names it in messages ("operand 1", "the output").
std::vector<int> parse_term(const std::string& eq, size_t begin, size_t end, const std::string& what) {
    std::vector<int> term;
    bool ellipsis = false;
    for (size_t i = begin; i < end; ++i) {
        const char c = eq[i];
        if (c == ' ') continue;
        if (c == '.') {
            CMP_CHECK(!ellipsis, INVALID_ARGUMENT, "einsum(): found '.' for ", what,
                      " for which an ellipsis was already found (equation '", eq, "')");
            CMP_CHECK(i + 2 < end && eq[i + 1] == '.' && eq[i + 2] == '.', INVALID_ARGUMENT, "einsum(): found '.' for ",
                      what, " that is not part of any ellipsis (equation '", eq, "')");
            term.push_back(kEllipsis);
            ellipsis = true;
            i += 2;
            continue;
        }
        const int id = letter_index(c);
        CMP_CHECK(id >= 0, INVALID_ARGUMENT, "einsum(): invalid subscript '", c, "' given at index ", i,
                  " in the equation string '", eq, "', subscripts must be in [a-zA-Z]");
        term.push_back(id);
    }
    return term;
}

Equation parse(const std::string& eq, size_t num_operands) {
    Equation e;
    const size_t arrow = eq.find("->");
    const size_t lhs_end = arrow == std::string::npos ? eq.size() : arrow;
    size_t start = 0;
    for (;;) {
        const size_t comma = eq.find(',', start);
        const size_t stop = comma == std::string::npos || comma > lhs_end ? lhs_end : comma;
        e.terms.push_back(parse_term(eq, start, stop, str("operand ", e.terms.size())));
        if (stop == lhs_end) break;
        start = stop + 1;
    }
    CMP_CHECK(e.terms.size() <= num_operands, INVALID_ARGUMENT,
              "einsum(): fewer operands were provided than specified in the equation '", eq, "' (", num_operands,
              " given, ", e.terms.size(), " specified)");
    CMP_CHECK(e.terms.size() >= num_operands, INVALID_ARGUMENT,
              "einsum(): more operands were provided than specified in the equation '", eq, "' (", num_operands,
              " given, ", e.terms.size(), " specified)");
    if (arrow != std::string::npos) {
        e.explicit_output = true;
        e.output = parse_term(eq, arrow + 2, eq.size(), "the output");
        std::array<bool, kLetters> in_input{}, in_output{};
        for (const auto& t : e.terms) {
            for (int id : t) {
                if (id >= 0) in_input[id] = true;
            }
        }
        for (int id : e.output) {
            if (id < 0) continue;
            CMP_CHECK(in_input[id], INVALID_ARGUMENT, "einsum(): output subscript ", letter_of(id),
                      " does not appear in the equation for any input operand (equation '", eq, "')");
            CMP_CHECK(!in_output[id], INVALID_ARGUMENT, "einsum(): output subscript ", letter_of(id),
                      " appears more than once in the output (equation '", eq, "')");
            in_output[id] = true;
        }
    }
    return e;
}

// Everything the contraction loop needs about the common layout.
struct Layout {
    int64_t rank = 0;        // number of common dims
    int64_t out_rank = 0;    // the first out_rank common dims form the output, in order
    Shape sizes;             // broadcast size of each common dim
    std::vector<int64_t> last_operand;  // last operand holding each common dim (-1: none)
    std::vector<std::string> names;     // a subscript letter, or "...k" for ellipsis dim k
};

// The operand as a rank-L view in the common layout: repeated subscripts become one diagonal
// dim (their strides add up), absent ones are size-1 dims. position[id] is the common dim of
// letter id; ellipsis dim k sits at ellipsis_position + k (k counted from the widest operand).
Tensor to_common(const Tensor& t, const std::vector<int>& term, int64_t ell_dims, int64_t ell_rank,
                 const std::array<int64_t, kLetters>& position, const std::vector<int64_t>& ellipsis_position,
                 int64_t rank, size_t index, const std::string& eq) {
    Shape sizes(static_cast<size_t>(rank), 1), strides(static_cast<size_t>(rank), 0);
    std::vector<bool> seen(static_cast<size_t>(rank), false);
    int64_t dim = 0;
    for (int id : term) {
        if (id == kEllipsis) {
            for (int64_t k = 0; k < ell_dims; ++k, ++dim) {
                const int64_t g = ellipsis_position[static_cast<size_t>(ell_rank - ell_dims + k)];
                sizes[g] = t.size(dim);
                strides[g] = t.stride(dim);
            }
            continue;
        }
        const int64_t g = position[id];
        if (seen[g]) {
            CMP_CHECK(sizes[g] == t.size(dim), SHAPE_MISMATCH, "einsum(): subscript ", letter_of(id),
                      " is repeated for operand ", index, " but the sizes don't match, ", t.size(dim), " != ", sizes[g],
                      " (shape ", t.sizes(), ", equation '", eq, "')");
            strides[g] += t.stride(dim);
        } else {
            sizes[g] = t.size(dim);
            strides[g] = t.stride(dim);
            seen[g] = true;
        }
        ++dim;
    }
    return as_strided(t, sizes, strides, t.offset());
}

Tensor sum_dim(const Tensor& t, int64_t dim) { return sum(t, {dim}, true); }

std::string names_of(const Layout& layout, const std::vector<int64_t>& dims) {
    std::string s;
    for (int64_t d : dims) s += (s.empty() ? "" : ", ") + layout.names[static_cast<size_t>(d)];
    return s;
}

// left and right in the common layout; sum_dims have the same size > 1 in both. Returns the
// product summed over sum_dims, in the common layout (size 1 at the summed dims).
Tensor contract(const Tensor& left, const Tensor& right, const std::vector<int64_t>& sum_dims, const Layout& layout,
                const std::string& eq) {
    CMP_CHECK(left.dtype() == right.dtype(), DTYPE_MISMATCH, "einsum(): a contraction over subscript(s) ",
              names_of(layout, sum_dims), " needs operands of one dtype, but got ", dtype_name(left.dtype()), " and ",
              dtype_name(right.dtype()), " (equation '", eq, "')");
    CMP_CHECK(left.dtype() != CMP_DTYPE_BOOL, DTYPE_MISMATCH, "einsum(): contraction over subscript(s) ",
              names_of(layout, sum_dims), " is not defined for dtype bool (equation '", eq, "')");
    std::vector<bool> summed(static_cast<size_t>(layout.rank), false);
    for (int64_t d : sum_dims) summed[d] = true;
    std::vector<int64_t> batch, rows, cols;
    for (int64_t d = 0; d < layout.rank; ++d) {
        if (summed[d]) continue;
        const bool l = left.size(d) != 1, r = right.size(d) != 1;
        if (l && r) batch.push_back(d);
        else if (l) rows.push_back(d);
        else if (r) cols.push_back(d);
    }
    auto product = [](const Tensor& t, const std::vector<int64_t>& dims) {
        int64_t p = 1;
        for (int64_t d : dims) p *= t.size(d);
        return p;
    };
    const int64_t nb = product(left, batch), m = product(left, rows), n = product(right, cols),
                  k = product(left, sum_dims);
    // Left as [batch, rows, sum], right as [batch, sum, cols]; the unused (size-1) dims go last.
    auto arrange = [&](const Tensor& t, const std::vector<int64_t>& g1, const std::vector<int64_t>& g2,
                       const std::vector<int64_t>& g3, int64_t s1, int64_t s2) {
        Shape perm = batch;
        perm.insert(perm.end(), g1.begin(), g1.end());
        perm.insert(perm.end(), g2.begin(), g2.end());
        std::vector<bool> used(static_cast<size_t>(layout.rank), false);
        for (int64_t d : perm) used[d] = true;
        for (int64_t d : g3) used[d] = true;  // size 1 in t: dropped by the reshape below
        for (int64_t d = 0; d < layout.rank; ++d) {
            if (!used[d]) perm.push_back(d);
        }
        for (int64_t d : g3) perm.push_back(d);
        return reshape(permute(t, perm), {nb, s1, s2});
    };
    const Tensor r3 = bmm(arrange(left, rows, sum_dims, cols, m, k), arrange(right, sum_dims, cols, rows, k, n));
    // The [nb, m, n] result is contiguous over (batch..., rows..., cols...): place those dims
    // back in the common layout with their contiguous strides; every other dim has size 1.
    Shape sizes(static_cast<size_t>(layout.rank), 1), strides(static_cast<size_t>(layout.rank), 0);
    int64_t stride = 1;
    auto place = [&](const std::vector<int64_t>& dims, const Tensor& src) {
        for (size_t i = dims.size(); i-- > 0;) {
            sizes[dims[i]] = src.size(dims[i]);
            strides[dims[i]] = stride;
            stride *= src.size(dims[i]);
        }
    };
    place(cols, right);
    place(rows, left);
    place(batch, left);
    return as_strided(r3, sizes, strides, r3.offset());
}

}  // namespace

Tensor einsum(const std::string& eq, const std::vector<Tensor>& operands) {
    CMP_CHECK(!operands.empty(), INVALID_ARGUMENT, "einsum(): must provide at least one operand (equation '", eq, "')");
    for (size_t i = 1; i < operands.size(); ++i) {
        CMP_CHECK(operands[i].device() == operands[0].device(), DEVICE_ERROR,
                  "einsum(): expected all operands on one device, but operand 0 is on ", operands[0].device().str(),
                  " and operand ", i, " on ", operands[i].device().str());
    }
    require_available(operands[0].device(), "einsum");
    const Equation e = parse(eq, operands.size());

    // Ellipsis dims per operand, checked against its rank.
    std::vector<int64_t> ell_dims(operands.size(), 0);
    int64_t ell_rank = 0;
    std::array<int, kLetters> count{};
    for (size_t i = 0; i < operands.size(); ++i) {
        const auto& term = e.terms[i];
        const bool has_ellipsis = std::find(term.begin(), term.end(), kEllipsis) != term.end();
        const int64_t letters = static_cast<int64_t>(term.size()) - (has_ellipsis ? 1 : 0);
        const int64_t nd = operands[i].dim();
        if (has_ellipsis) {
            CMP_CHECK(letters <= nd, SHAPE_MISMATCH, "einsum(): the number of subscripts in the equation (", letters,
                      ") is more than the number of dimensions (", nd, ") for operand ", i, " (shape ",
                      operands[i].sizes(), ", equation '", eq, "')");
            ell_dims[i] = nd - letters;
            ell_rank = std::max(ell_rank, ell_dims[i]);
        } else {
            CMP_CHECK(letters == nd, SHAPE_MISMATCH, "einsum(): the number of subscripts in the equation (", letters,
                      ") does not match the number of dimensions (", nd, ") for operand ", i, " (shape ",
                      operands[i].sizes(), ") and no ellipsis was given (equation '", eq, "')");
        }
        for (int id : term) {
            if (id >= 0) ++count[id];
        }
    }

    // The common layout: output dims (explicit order, or ellipsis then letters seen once in
    // alphabetical order), then the summed letters, then ellipsis dims the output omits.
    Layout layout;
    std::array<int64_t, kLetters> position;
    position.fill(-1);
    std::vector<int64_t> ellipsis_position(static_cast<size_t>(ell_rank), -1);
    auto add_letter = [&](int id) {
        position[id] = layout.rank++;
        layout.names.emplace_back(1, letter_of(id));
    };
    auto add_ellipsis = [&] {
        for (int64_t k = 0; k < ell_rank; ++k) {
            ellipsis_position[k] = layout.rank++;
            layout.names.push_back(str("...", k));
        }
    };
    if (e.explicit_output) {
        for (int id : e.output) {
            if (id == kEllipsis) add_ellipsis();
            else add_letter(id);
        }
    } else {
        add_ellipsis();
        for (int id = 0; id < kLetters; ++id) {
            if (count[id] == 1) add_letter(id);
        }
    }
    layout.out_rank = layout.rank;
    for (int id = 0; id < kLetters; ++id) {
        if (count[id] > 0 && position[id] < 0) add_letter(id);
    }
    if (ell_rank > 0 && ellipsis_position[0] < 0) add_ellipsis();

    std::vector<Tensor> ops;
    layout.sizes.assign(static_cast<size_t>(layout.rank), 1);
    layout.last_operand.assign(static_cast<size_t>(layout.rank), -1);
    bool has_zero = false;
    for (size_t i = 0; i < operands.size(); ++i) {
        Tensor t = to_common(operands[i], e.terms[i], ell_dims[i], ell_rank, position, ellipsis_position,
                             layout.rank, i, eq);
        for (int64_t d = 0; d < layout.rank; ++d) {
            const int64_t s = t.size(d);
            int64_t& seen = layout.sizes[d];
            CMP_CHECK(s == 1 || seen == 1 || s == seen, SHAPE_MISMATCH, "einsum(): subscript ", layout.names[d],
                      " has size ", s, " for operand ", i, " which does not broadcast with previously seen size ", seen,
                      " (shape ", operands[i].sizes(), ", equation '", eq, "')");
            if (s != 1) seen = s;
            has_zero = has_zero || s == 0;
        }
        ops.push_back(std::move(t));
    }
    // Which operand last holds each dim decides when a summed dim can be summed away.
    for (size_t i = 0; i < operands.size(); ++i) {
        for (int id : e.terms[i]) {
            if (id >= 0) layout.last_operand[position[id]] = static_cast<int64_t>(i);
        }
        for (int64_t k = ell_rank - ell_dims[i]; k < ell_rank; ++k) {
            layout.last_operand[ellipsis_position[k]] = static_cast<int64_t>(i);
        }
    }
    const Shape out_sizes(layout.sizes.begin(), layout.sizes.begin() + layout.out_rank);

    // A zero-size dim anywhere makes every output element an empty sum (PyTorch returns zeros
    // in the operands' promoted dtype without running the contraction).
    if (has_zero) {
        std::vector<Tensor> all(operands.begin(), operands.end());
        return full(out_sizes, scalar_int(0), result_type(all), operands[0].device());
    }

    Tensor result = ops[0];
    for (int64_t d = layout.out_rank; d < layout.rank; ++d) {
        if (layout.last_operand[d] == 0 && result.size(d) != 1) result = sum_dim(result, d);
    }
    for (size_t i = 1; i < ops.size(); ++i) {
        Tensor operand = ops[i];
        std::vector<int64_t> sum_dims;
        for (int64_t d = layout.out_rank; d < layout.rank; ++d) {
            if (layout.last_operand[d] != static_cast<int64_t>(i)) continue;
            if (result.size(d) == 1) operand = sum_dim(operand, d);
            else if (operand.size(d) == 1) result = sum_dim(result, d);
            else sum_dims.push_back(d);
        }
        if (sum_dims.empty()) {
            result = mul(result, operand);
            continue;
        }
        result = contract(result, operand, sum_dims, layout, eq);
    }
    return reshape(result, out_sizes);
}

}  // namespace cmp::ops
