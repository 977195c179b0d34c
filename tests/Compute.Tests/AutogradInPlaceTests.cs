using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// In-place ops under autograd against torch.autograd (fixture autograd_inplace.json, made by
/// tests/reference/gen_autograd_inplace.py): in-place changes of non-leaves and of views of
/// them (history rewritten, the base's too), and the errors PyTorch raises (a tensor saved for
/// backward changed, a leaf or a view of a leaf changed, a view of split changed); plus the
/// version counter itself.
/// </summary>
public class AutogradInPlaceTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("autograd_inplace.json", "InPlace");

    private static Tensor L(params long[] values) => Tensor.From(values);

    // The programs of gen_autograd_inplace.py, under the same names.
    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Programs = new()
    {
        ["select_mul"] = t =>
        {
            Tensor y = t[0] * 2;
            y[0].MulInPlace(3);
            return y.Sum();
        },
        ["slice_add_operand"] = t =>
        {
            Tensor y = t[0] * 1;
            y[.., 1..3].AddInPlace(t[1]);
            return (y * y).Sum();
        },
        ["diagonal_mul"] = t =>
        {
            Tensor y = t[0].Clone();
            y.Diagonal().MulInPlace(t[1]);
            return y.Pow(2).Sum();
        },
        ["chain"] = t =>
        {
            Tensor y = t[0].Exp();
            y.MulInPlace(2).SinInPlace();
            y.AddInPlace(t[0]);
            return y.Sum();
        },
        ["copy_into_buffer"] = t =>
        {
            Tensor b = Tensor.Zeros([3, 4], DType.Float64);
            b[0].CopyFrom(t[0][1]);
            b[1..] = t[1];
            return (b * b).Sum();
        },
        ["view_of_view"] = t =>
        {
            Tensor y = t[0] * 1;
            y[1][1..3].MulInPlace(t[1]);
            return (y * y).Sum();
        },
        ["other_view_sees_change"] = t =>
        {
            Tensor y = t[0] * 1;
            Tensor a = y[0], b = y[0..2];
            a.MulInPlace(3);
            return (b * b).Sum();
        },
        ["base_after_view_change"] = t =>
        {
            Tensor y = t[0].Sigmoid();
            Tensor v = y.T;
            v[1].MulInPlace(0.5);
            return (y * t[0]).Sum();
        },
        ["relu_inplace_mlp"] = t =>
        {
            Tensor h = t[0].MatMul(t[1]);
            Functional.Relu(h, inplace: true);
            return h.MatMul(t[2]).Tanh().Sum();
        },
        ["masked_index_fill"] = t =>
        {
            Tensor y = t[0] + 0;
            y.MaskedFillInPlace(t[0] > 0, 0.5);
            y.IndexPutInPlace([L(0, 2)], t[1]);
            y[1].Fill(2.0);
            return (y * t[0]).Sum();
        },
        ["inplace_operand_saved"] = t =>
        {
            Tensor y = t[0] * 1;
            y.MulInPlace(t[1]);
            y.PowInPlace(2);
            return y.Sum();
        },
        ["scatter_index_add"] = t =>
        {
            Tensor y = t[0] * 1;
            y.ScatterAddInPlace(1, L(0, 1, 2, 3, 1, 1).View(3, 2), t[1]);
            y.IndexAddInPlace(0, L(2, 0), t[0][..2], alpha: 0.5);
            return (y * y).Sum();
        },
        ["clamp_addcmul"] = t =>
        {
            Tensor y = t[0] * 1;
            y.ClampInPlace(min: (Scalar)(-0.5), max: (Scalar)0.7).AddcmulInPlace(t[1], t[2], 2).LerpInPlace(t[1], 0.25);
            return y.Pow(2).Sum();
        },
        ["leaf_no_grad_update"] = t =>
        {
            using (Autograd.NoGrad())
            {
                t[0].MulInPlace(2);
            }
            return (t[0] * t[0]).Sum();
        },
        ["error_saved_output"] = t =>
        {
            Tensor y = t[0].Exp();
            y.AddInPlace(1);
            return y.Sum();
        },
        ["error_saved_input"] = t =>
        {
            Tensor y = t[0] * 2;
            Tensor z = y * t[1];
            y.AddInPlace(1);
            return z.Sum();
        },
        ["error_leaf"] = t => t[0].AddInPlace(1).Sum(),
        ["error_view_of_leaf"] = t =>
        {
            t[0][0].AddInPlace(1);
            return t[0].Sum();
        },
        ["error_view_created_in_no_grad"] = t =>
        {
            Tensor y = t[0] * 1;
            Tensor v;
            using (Autograd.NoGrad())
            {
                v = y[0..2];
            }
            v.MulInPlace(t[1]);
            return y.Sum();
        },
        ["error_multi_output_view"] = t =>
        {
            Tensor y = t[0] * 1;
            y.Split(2, 1)[0].MulInPlace(2);
            return y.Sum();
        },
    };

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        using var scope = TensorScope.Begin();
        Tensor[] t = c.GetProperty("inputs").EnumerateArray()
            .Select(j => ReferenceFixture.Build(j).RequiresGradInPlace(j.GetProperty("requires_grad").GetBoolean())).ToArray();
        Func<Tensor[], Tensor> program = Programs[c.GetProperty("name").GetString()!];
        if (c.TryGetProperty("error", out JsonElement error))
        {
            // PyTorch's message starts with its type description ([torch.DoubleTensor [3]]);
            // Compute writes its own dtype name there, the rest must read the same.
            string expected = error.GetString()!;
            string[] parts = expected.Split(" [torch.DoubleTensor ");
            Func<Tensor> run = c.GetProperty("error_at").GetString() == "forward"
                ? () => program(t)
                : () =>
                {
                    Tensor output = program(t);
                    output.Backward();
                    return output;
                };
            var e = Assert.Throws<InvalidOperationException>(() => run());
            Assert.That(e!.Message, Does.Contain(parts[0].TrimEnd(':')), "message");
            if (parts.Length > 1)
            {
                int typeEnd = parts[1].IndexOf(']') + 1;
                string afterType = parts[1][typeEnd..].Split(" Hint:")[0];
                Assert.That(e.Message, Does.Contain(afterType), "message after the tensor description");
            }
            return;
        }
        Tensor result = program(t);
        Assert.That(result.GradFn!.Name, Is.EqualTo(c.GetProperty("grad_fn").GetString()));
        AssertClose(result, c.GetProperty("expected"), "result");
        result.Backward();
        JsonElement[] grads = c.GetProperty("grads").EnumerateArray().ToArray();
        for (int i = 0; i < t.Length; i++)
        {
            if (grads[i].ValueKind == JsonValueKind.Null)
            {
                Assert.That(t[i].Grad, Is.Null, $"input {i} does not require grad");
                continue;
            }
            AssertClose(t[i].Grad!, grads[i], $"grad of input {i}");
        }
    }

    // float64 throughout, the same formulas on both sides: a few roundings apart.
    private static void AssertClose(Tensor actual, JsonElement expected, string what)
    {
        using Tensor e = ReferenceFixture.Build(expected);
        Assert.That(actual.Shape, Is.EqualTo(e.Shape), what + " shape");
        double[] a = actual.Contiguous().ToArray<double>(), x = e.ToArray<double>();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.That(a[i], Is.EqualTo(x[i]).Within(1e-12 * (1 + Math.Abs(x[i]))), $"{what}, element {i}");
        }
    }

    // Programs whose gradients are smooth at the fixture's inputs (no kink of relu/clamp/masks
    // near them) and that do not change their inputs: checked with finite differences, first
    // and second order, so CopySlices and the snapshots of overwritten values are differentiable.
    private static readonly string[] SmoothPrograms =
        ["select_mul", "slice_add_operand", "diagonal_mul", "copy_into_buffer", "view_of_view", "other_view_sees_change",
         "inplace_operand_saved", "scatter_index_add"];

    [TestCaseSource(nameof(SmoothPrograms))]
    public void InPlaceProgramsPassGradCheckAndGradGradCheck(string name)
    {
        using var scope = TensorScope.Begin();
        JsonElement c = ReferenceFixture.Cases("autograd_inplace.json", "InPlace").Select(d => (JsonElement)d.Arguments[0]!)
            .Single(j => j.GetProperty("name").GetString() == name);
        Tensor[] t = c.GetProperty("inputs").EnumerateArray()
            .Select(j => ReferenceFixture.Build(j).RequiresGradInPlace(j.GetProperty("requires_grad").GetBoolean())).ToArray();
        Assert.That(Autograd.GradCheck(Programs[name], t), Is.True, "first order");
        Assert.That(Autograd.GradGradCheck(Programs[name], t), Is.True, "second order");
    }

    [Test]
    public void InPlaceOnANonLeafRewritesItsHistory()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Ones(3).RequiresGradInPlace();
        Tensor y = x * 2;
        AutogradNode before = y.GradFn!;
        y.SinInPlace();
        Assert.That(y.GradFn!.Name, Is.EqualTo("SinBackward0"));
        Assert.That(y.GradFn.NextFunctions[0].Node, Is.SameAs(before), "the old history is the new node's input");
    }

    [Test]
    public void ViewOfABaseGetsCopySlicesAndTheViewItsRegion()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Ones(2, 3).RequiresGradInPlace();
        Tensor y = x * 2;
        Tensor row = y[0];
        row.MulInPlace(3);
        Assert.That(y.GradFn!.Name, Is.EqualTo("CopySlices"));
        Assert.That(row.GradFn!.Name, Is.EqualTo("AsStridedBackward0"));
    }

    [Test]
    public void VersionCounterIsSharedByViewsAndCountsEveryWrite()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Zeros(2, 3);
        Tensor row = x[1];
        Assert.That(x.Version, Is.EqualTo(0UL));
        row.AddInPlace(1);
        Assert.That(x.Version, Is.EqualTo(1UL), "a write through a view counts for the base");
        x.Fill(2).CopyFrom(Tensor.Ones(3));
        x.IndexPutInPlace([L(0)], Tensor.Ones(3));
        Assert.That(row.Version, Is.EqualTo(4UL), "and the view sees the base's writes");
        using (Autograd.NoGrad())
        {
            Tensor w = Tensor.Ones(2).RequiresGradInPlace();
            w.SubInPlace(0.5);
            Assert.That(w.Version, Is.EqualTo(1UL), "optimizer-style updates under NoGrad still count");
        }
        Tensor clone = x.Clone();
        Assert.That(clone.Version, Is.EqualTo(0UL), "a new storage starts at 0");
    }

    [Test]
    public void NoGradUpdateOfALeafIsAllowedAndDetectedIfSaved()
    {
        using var scope = TensorScope.Begin();
        Tensor w = Tensor.From(new[] { 1.0, 2.0 }).RequiresGradInPlace();
        Tensor loss = (w * w).Sum();
        using (Autograd.NoGrad())
        {
            w.SubInPlace(1);
        }
        var e = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.That(e!.Message, Does.StartWith("MulBackward0: one of the variables needed for gradient computation has been modified"));
        Assert.That(e.Message, Does.Contain("is at version 1; expected version 0 instead."));
    }
}
