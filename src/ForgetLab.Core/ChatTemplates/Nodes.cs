namespace ForgetLab.Core.ChatTemplates;

// The template's syntax tree. Every expression carries its depth so the parser can refuse one nested (or chained,
// `1+1+1+…`) deeper than the limit before the evaluator's recursion could exhaust the stack.

internal abstract record Expr(int Line, int Depth);

internal sealed record Literal(object? Value, int Line) : Expr(Line, 1);

internal sealed record Variable(string Name, int Line) : Expr(Line, 1);

internal sealed record GetAttr(Expr Target, string Name, int Line) : Expr(Line, Target.Depth + 1);

internal sealed record GetItem(Expr Target, Expr Key, int Line) : Expr(Line, Math.Max(Target.Depth, Key.Depth) + 1);

internal sealed record SliceExpr(Expr Target, Expr? Start, Expr? Stop, Expr? Step, int Line)
    : Expr(Line, Nodes.Max(Target, Start, Stop, Step) + 1);

internal sealed record CallExpr(Expr Callee, IReadOnlyList<Expr> Args, IReadOnlyList<KeyValuePair<string, Expr>> Kwargs, int Line)
    : Expr(Line, Nodes.Max([Callee, .. Args, .. Kwargs.Select(k => k.Value)]) + 1);

internal sealed record FilterExpr(Expr Target, string Name, IReadOnlyList<Expr> Args, IReadOnlyList<KeyValuePair<string, Expr>> Kwargs, int Line)
    : Expr(Line, Nodes.Max([Target, .. Args, .. Kwargs.Select(k => k.Value)]) + 1);

internal sealed record TestExpr(Expr Target, string Name, IReadOnlyList<Expr> Args, bool Negated, int Line)
    : Expr(Line, Nodes.Max([Target, .. Args]) + 1);

internal sealed record Binary(string Op, Expr Left, Expr Right, int Line) : Expr(Line, Math.Max(Left.Depth, Right.Depth) + 1);

internal sealed record Unary(string Op, Expr Operand, int Line) : Expr(Line, Operand.Depth + 1);

internal sealed record Conditional(Expr Condition, Expr IfTrue, Expr? IfFalse, int Line)
    : Expr(Line, Nodes.Max(Condition, IfTrue, IfFalse) + 1);

internal sealed record ListExpr(IReadOnlyList<Expr> Items, int Line) : Expr(Line, Nodes.Max([.. Items]) + 1);

internal sealed record DictExpr(IReadOnlyList<KeyValuePair<Expr, Expr>> Items, int Line)
    : Expr(Line, Nodes.Max([.. Items.SelectMany(i => new[] { i.Key, i.Value })]) + 1);

internal abstract record Stmt(int Line);

internal sealed record TextStmt(string Text, int Line) : Stmt(Line);

internal sealed record OutputStmt(Expr Value, int Line) : Stmt(Line);

internal sealed record IfStmt(IReadOnlyList<(Expr Condition, IReadOnlyList<Stmt> Body)> Branches, IReadOnlyList<Stmt> Else, int Line) : Stmt(Line);

internal sealed record ForStmt(IReadOnlyList<string> Targets, Expr Iterable, Expr? Filter, IReadOnlyList<Stmt> Body, IReadOnlyList<Stmt> Else, int Line) : Stmt(Line);

/// <summary><c>{% set name = … %}</c>, or <c>{% set ns.attr = … %}</c> when <see cref="Attribute"/> is set.</summary>
internal sealed record SetStmt(string Name, string? Attribute, Expr Value, int Line) : Stmt(Line);

internal static class Nodes
{
    public static int Max(params Expr?[] exprs) => exprs.Length == 0 ? 0 : exprs.Max(e => e?.Depth ?? 0);
}
