using Compute;

namespace CharGpt;

/// <summary>
/// AdamW (decoupled weight decay, bias-corrected moments) written out with tensor ops, for as
/// long as this example is built without Compute.Optim; same update rule as torch.optim.AdamW.
/// </summary>
internal sealed class PlainAdamW(Tensor[] parameters, double lr, double weightDecay, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
{
    private readonly Tensor[] _m = parameters.Select(p => Tensor.ZerosLike(p)).ToArray();
    private readonly Tensor[] _v = parameters.Select(p => Tensor.ZerosLike(p)).ToArray();
    private int _step;

    public void Step()
    {
        _step++;
        double c1 = 1 - Math.Pow(beta1, _step), c2 = 1 - Math.Pow(beta2, _step);
        using var noGrad = Autograd.NoGrad();
        using var scope = TensorScope.Begin();
        for (int i = 0; i < parameters.Length; i++)
        {
            Tensor p = parameters[i];
            if (p.Grad is not Tensor g)
            {
                continue;
            }
            p.MulInPlace(1 - lr * weightDecay);
            _m[i].LerpInPlace(g, 1 - beta1);
            _v[i].MulInPlace(beta2).AddcmulInPlace(g, g, 1 - beta2);
            Tensor denom = (_v[i] / c2).Sqrt() + eps;
            p.SubInPlace(_m[i] / denom, alpha: lr / c1);
        }
    }
}
