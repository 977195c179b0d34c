using System;

namespace Compute.NN
{
    /// <summary>
    /// y = x Wᵀ + b (PyTorch's nn.Linear): input [*, inFeatures], output [*, outFeatures].
    /// The weight [outFeatures, inFeatures] and bias [outFeatures] start as in PyTorch:
    /// U(-1/√inFeatures, 1/√inFeatures) (kaiming_uniform with a = √5 for the weight).
    /// </summary>
    public class Linear : Module<Tensor, Tensor>
    {
        /// <summary>Makes the layer; <paramref name="dtype"/> and <paramref name="device"/> place its parameters.</summary>
        public Linear(long inFeatures, long outFeatures, bool bias = true, Device? device = null, DType dtype = DType.Float32)
        {
            if (inFeatures < 0 || outFeatures < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(inFeatures),
                    $"Linear: the feature counts must be >= 0; got inFeatures={inFeatures}, outFeatures={outFeatures}.");
            }
            InFeatures = inFeatures;
            OutFeatures = outFeatures;
            Weight = new Parameter(Tensor.Empty([outFeatures, inFeatures], dtype, device));
            Bias = bias ? new Parameter(Tensor.Empty([outFeatures], dtype, device)) : null;
            ResetParameters();
        }

        /// <summary>Input features (in_features).</summary>
        public long InFeatures { get; }

        /// <summary>Output features (out_features).</summary>
        public long OutFeatures { get; }

        /// <summary>The weight [outFeatures, inFeatures] ("weight").</summary>
        public Parameter Weight { get; set; }

        /// <summary>The bias [outFeatures] ("bias"), or null.</summary>
        public Parameter? Bias { get; set; }

        /// <summary>Draws the parameters again as the constructor does (PyTorch's reset_parameters).</summary>
        public void ResetParameters() => Init.ResetLinearLike(Weight, Bias);

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Linear(input, Weight, Bias);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={Py(Bias is not null)}";
    }
}
