namespace Compute
{
    /// <summary>
    /// Where a gradient goes: input <see cref="InputNr"/> of <see cref="Node"/>. A null node
    /// means the forward input did not require grad, so no gradient flows there.
    /// </summary>
    internal readonly record struct Edge(AutogradNode? Node, int InputNr)
    {
        internal bool IsValid => Node != null;
    }
}
