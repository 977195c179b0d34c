using System;
using System.Globalization;
using System.Text;

namespace Compute.NN
{
    /// <summary>
    /// What RNN, LSTM and GRU share (PyTorch's nn.RNNBase): a stack of <see cref="NumLayers"/>
    /// recurrent layers, each run forwards and, when <see cref="Bidirectional"/>, also backwards
    /// over the sequence, with dropout between layers in training. The parameters are registered
    /// under PyTorch's names in PyTorch's order: for each layer k and direction,
    /// weight_ih_lk, weight_hh_lk, bias_ih_lk, bias_hh_lk (suffix "_reverse" for the backward
    /// direction), and weight_hr_lk for an LSTM with a projection, all drawn from
    /// U(-1/√hiddenSize, 1/√hiddenSize).
    /// </summary>
    /// <remarks>
    /// Shapes (L = sequence length, N = batch, D = 2 if bidirectional else 1): input [L, N, in]
    /// ([N, L, in] with <see cref="BatchFirst"/>, or unbatched [L, in]); output [L, N, D·hidden];
    /// hidden states [D·numLayers, N, hidden] ([D·numLayers, hidden] unbatched), whatever
    /// <see cref="BatchFirst"/> says. An LSTM with <see cref="ProjSize"/> &gt; 0 projects each h
    /// to ProjSize features (h_t = W_hr (o_t ⊙ tanh c_t)), so its output and h have ProjSize
    /// features where the others have hidden; c keeps hidden. The input projection of a whole layer is one matmul; the
    /// time loop does the hidden projection and the gates with differentiable ops, so autograd
    /// provides the backward.
    /// </remarks>
    public abstract class RNNBase : Module
    {
        private protected enum CellKind { RnnTanh, RnnRelu, Lstm, Gru }

        private readonly CellKind _kind;
        // Per layer and direction (index layer * D + direction): the parameters, biases null without
        // bias, Hr (the LSTM's projection) null without projSize.
        private readonly (Parameter Ih, Parameter Hh, Parameter? BiasIh, Parameter? BiasHh, Parameter? Hr)[] _cells;

        private protected RNNBase(CellKind kind, long inputSize, long hiddenSize, long numLayers, bool bias, bool batchFirst,
            double dropout, bool bidirectional, long projSize, Device? device, DType dtype)
        {
            string op = kind switch { CellKind.Lstm => "LSTM", CellKind.Gru => "GRU", _ => "RNN" };
            if (inputSize < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"{op}: inputSize must be >= 0, got {inputSize}.");
            }
            if (hiddenSize <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, $"{op}: hiddenSize must be greater than zero, got {hiddenSize}.");
            }
            if (numLayers <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, $"{op}: numLayers must be greater than zero, got {numLayers}.");
            }
            if (!(dropout >= 0 && dropout <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(dropout), dropout,
                    $"{op}: dropout should be a number in range [0, 1] representing the probability of an element being zeroed, got {dropout}.");
            }
            if (projSize < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(projSize), projSize, $"{op}: projSize should be a positive integer or zero to disable projections, got {projSize}.");
            }
            if (projSize >= hiddenSize)
            {
                throw new ArgumentOutOfRangeException(nameof(projSize), projSize, $"{op}: projSize ({projSize}) has to be smaller than hiddenSize ({hiddenSize}).");
            }
            if (projSize != 0 && kind != CellKind.Lstm)
            {
                throw new ArgumentException($"{op}: projSize is only supported for LSTM, not RNN or GRU.", nameof(projSize));
            }
            _kind = kind;
            InputSize = inputSize;
            ProjSize = projSize;
            HiddenSize = hiddenSize;
            NumLayers = numLayers;
            HasBias = bias;
            BatchFirst = batchFirst;
            Dropout = dropout;
            Bidirectional = bidirectional;
            long gates = GateCount(kind) * hiddenSize;
            int directions = bidirectional ? 2 : 1;
            long realHidden = projSize > 0 ? projSize : hiddenSize;
            _cells = new (Parameter, Parameter, Parameter?, Parameter?, Parameter?)[numLayers * directions];
            for (long layer = 0; layer < numLayers; layer++)
            {
                long layerInput = layer == 0 ? inputSize : realHidden * directions;
                for (int dir = 0; dir < directions; dir++)
                {
                    string suffix = $"_l{layer.ToString(CultureInfo.InvariantCulture)}" + (dir == 1 ? "_reverse" : "");
                    var ih = new Parameter(Tensor.Empty([gates, layerInput], dtype, device));
                    var hh = new Parameter(Tensor.Empty([gates, realHidden], dtype, device));
                    Parameter? bih = bias ? new Parameter(Tensor.Empty([gates], dtype, device)) : null;
                    Parameter? bhh = bias ? new Parameter(Tensor.Empty([gates], dtype, device)) : null;
                    RegisterParameter("weight_ih" + suffix, ih);
                    RegisterParameter("weight_hh" + suffix, hh);
                    if (bias)
                    {
                        RegisterParameter("bias_ih" + suffix, bih);
                        RegisterParameter("bias_hh" + suffix, bhh);
                    }
                    Parameter? hr = projSize > 0 ? new Parameter(Tensor.Empty([projSize, hiddenSize], dtype, device)) : null;
                    if (hr is not null)
                    {
                        RegisterParameter("weight_hr" + suffix, hr);
                    }
                    _cells[layer * directions + dir] = (ih, hh, bih, bhh, hr);
                }
            }
            ResetParameters();
        }

        /// <summary>Features of the input (input_size).</summary>
        public long InputSize { get; }

        /// <summary>Features of the hidden state (hidden_size).</summary>
        public long HiddenSize { get; }

        /// <summary>Stacked recurrent layers (num_layers).</summary>
        public long NumLayers { get; }

        /// <summary>Whether the layers have the biases b_ih and b_hh (bias).</summary>
        public bool HasBias { get; }

        /// <summary>Whether input and output are [batch, seq, feature] instead of [seq, batch, feature] (batch_first).</summary>
        public bool BatchFirst { get; }

        /// <summary>Probability of dropout on the outputs of every layer but the last, in training (dropout).</summary>
        public double Dropout { get; }

        /// <summary>Whether each layer also runs backwards over the sequence (bidirectional).</summary>
        public bool Bidirectional { get; }

        /// <summary>Features of the LSTM's projected h, or 0 for no projection (proj_size).</summary>
        public long ProjSize { get; }

        /// <summary>Features of h and of each direction's output: ProjSize when set, else HiddenSize.</summary>
        private long OutputHidden => ProjSize > 0 ? ProjSize : HiddenSize;

        private int Directions => Bidirectional ? 2 : 1;

        private string OpName => _kind switch { CellKind.Lstm => "LSTM", CellKind.Gru => "GRU", _ => "RNN" };

        private static long GateCount(CellKind kind) => kind switch { CellKind.Lstm => 4, CellKind.Gru => 3, _ => 1 };

        /// <summary>Draws every parameter again from U(-1/√hiddenSize, 1/√hiddenSize), as the constructor does (PyTorch's reset_parameters).</summary>
        public void ResetParameters()
        {
            double bound = 1 / Math.Sqrt(HiddenSize);
            foreach (var (ih, hh, bih, bhh, hr) in _cells)
            {
                Init.UniformInPlace(ih, -bound, bound);
                Init.UniformInPlace(hh, -bound, bound);
                if (hr is not null)
                {
                    Init.UniformInPlace(hr, -bound, bound);
                }
                if (bih is not null && bhh is not null)
                {
                    Init.UniformInPlace(bih, -bound, bound);
                    Init.UniformInPlace(bhh, -bound, bound);
                }
            }
        }

        /// <summary>
        /// Runs the stack. <paramref name="h0"/> and <paramref name="c0"/> (LSTM only) are the
        /// initial states or null for zeros. Returns the last layer's output and the final
        /// states of every layer and direction (c null unless LSTM).
        /// </summary>
        private protected (Tensor Output, Tensor HN, Tensor? CN) Run(Tensor input, Tensor? h0, Tensor? c0)
        {
            ArgumentNullException.ThrowIfNull(input);
            string op = OpName;
            if (input.Dim != 2 && input.Dim != 3)
            {
                throw new ShapeMismatchException($"{op}: Expected input to be 2D or 3D, got {input.Dim}D tensor of shape {Tensor.FormatShape(input.ShapeCached)} instead.");
            }
            bool batched = input.Dim == 3;
            Tensor x = !batched ? input.Unsqueeze(1) : BatchFirst ? input.Transpose(0, 1) : input;
            long[] shape = x.ShapeCached;
            if (shape[2] != InputSize)
            {
                throw new ShapeMismatchException(
                    $"{op}: input.size(-1) must be equal to input_size. Expected {InputSize}, got {shape[2]} (input shape {Tensor.FormatShape(input.ShapeCached)}).");
            }
            if (shape[0] == 0)
            {
                throw new ShapeMismatchException($"{op}: the input sequence is empty (input shape {Tensor.FormatShape(input.ShapeCached)}).");
            }
            DType dtype = _cells[0].Ih.DType;
            if (input.DType != dtype)
            {
                throw new DTypeMismatchException($"{op}: input dtype {input.DType.Name()} differs from the parameters' {dtype.Name()}.");
            }
            long steps = shape[0], batch = shape[1];
            Tensor h = State(h0, "hx", batched, [NumLayers * Directions, batch, OutputHidden], dtype, input.Device);
            Tensor? c = _kind == CellKind.Lstm ? State(c0, "cx", batched, [NumLayers * Directions, batch, HiddenSize], dtype, input.Device) : null;

            var hn = new Tensor[_cells.Length];
            var cn = c is null ? null : new Tensor[_cells.Length];
            for (long layer = 0; layer < NumLayers; layer++)
            {
                var outputs = new Tensor[Directions];
                for (int dir = 0; dir < Directions; dir++)
                {
                    long index = layer * Directions + dir;
                    var (ih, hh, bih, bhh, hr) = _cells[index];
                    // The input projection of every step at once: [L, N, gates · hidden].
                    Tensor gi = Functional.Linear(x, ih, bih);
                    Tensor hState = h.Select(0, index);
                    Tensor? cState = c?.Select(0, index);
                    var perStep = new Tensor[steps];
                    for (long s = 0; s < steps; s++)
                    {
                        long t = dir == 0 ? s : steps - 1 - s;
                        Tensor git = gi.Select(0, t);
                        switch (_kind)
                        {
                            case CellKind.Lstm:
                                (hState, cState) = RecurrentSteps.Lstm(git, hState, cState!, hh, bhh);
                                if (hr is not null)
                                {
                                    hState = hState.MatMul(hr.T);
                                }
                                break;
                            case CellKind.Gru:
                                hState = RecurrentSteps.Gru(git, hState, hh, bhh);
                                break;
                            default:
                                hState = RecurrentSteps.Rnn(git, hState, hh, bhh, _kind == CellKind.RnnRelu);
                                break;
                        }
                        perStep[t] = hState;
                    }
                    outputs[dir] = Tensor.Stack(perStep, 0);
                    hn[index] = hState;
                    if (cn is not null)
                    {
                        cn[index] = cState!;
                    }
                }
                x = Directions == 1 ? outputs[0] : Tensor.Cat(outputs, 2);
                if (layer + 1 < NumLayers && Dropout > 0 && Training)
                {
                    x = Functional.Dropout(x, Dropout, training: true);
                }
            }
            Tensor output = !batched ? x.Squeeze(1) : BatchFirst ? x.Transpose(0, 1) : x;
            Tensor hOut = Tensor.Stack(hn, 0);
            Tensor? cOut = cn is null ? null : Tensor.Stack(cn, 0);
            if (!batched)
            {
                hOut = hOut.Squeeze(1);
                cOut = cOut?.Squeeze(1);
            }
            return (output, hOut, cOut);
        }

        /// <summary>The initial state <paramref name="given"/> checked against the expected shape (batched view), or zeros.</summary>
        private Tensor State(Tensor? given, string name, bool batched, long[] expected, DType dtype, Device device)
        {
            if (given is null)
            {
                return Tensor.Zeros(expected, dtype, device);
            }
            string op = OpName;
            int wantDim = batched ? 3 : 2;
            if (given.Dim != wantDim)
            {
                throw new ShapeMismatchException(
                    $"{op}: for {(batched ? "batched 3-D" : "unbatched 2-D")} input, {name} should also be {wantDim}-D but got a {given.Dim}-D tensor of shape {Tensor.FormatShape(given.ShapeCached)}.");
            }
            Tensor state = batched ? given : given.Unsqueeze(1);
            long[] s = state.ShapeCached;
            if (s[0] != expected[0] || s[1] != expected[1] || s[2] != expected[2])
            {
                long[] shown = batched ? expected : [expected[0], expected[2]];
                throw new ShapeMismatchException(
                    $"{op}: Expected hidden size {Py(shown)} for {name}, got {Tensor.FormatShape(given.ShapeCached)}.");
            }
            if (given.DType != dtype)
            {
                throw new DTypeMismatchException($"{op}: {name} dtype {given.DType.Name()} differs from the parameters' {dtype.Name()}.");
            }
            return state;
        }

        /// <inheritdoc/>
        public override string ExtraRepr()
        {
            var sb = new StringBuilder($"{InputSize}, {HiddenSize}");
            if (ProjSize != 0)
            {
                sb.Append($", proj_size={ProjSize}");
            }
            if (NumLayers != 1)
            {
                sb.Append($", num_layers={NumLayers}");
            }
            if (_kind == CellKind.RnnRelu)
            {
                sb.Append(", nonlinearity='relu'");
            }
            if (!HasBias)
            {
                sb.Append(", bias=False");
            }
            if (BatchFirst)
            {
                sb.Append(", batch_first=True");
            }
            if (Dropout != 0)
            {
                sb.Append(", dropout=").Append(Dropout.ToString("R", CultureInfo.InvariantCulture));
            }
            if (Bidirectional)
            {
                sb.Append(", bidirectional=True");
            }
            return sb.ToString();
        }
    }
}
