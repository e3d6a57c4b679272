using System.Text.RegularExpressions;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The data-bearing operands of an alert expression. An alert is a condition that is normally false
/// (<c>up == 0</c>), so its own result is empty on a healthy platform; what must return series is
/// every operand it compares or combines. The expression is split at the top level (outside
/// parentheses, brackets, braces and strings) on comparisons and on <c>and</c>/<c>or</c>/<c>unless</c>
/// with their <c>bool</c>, <c>on(…)</c>, <c>ignoring(…)</c> and <c>group_*</c> modifiers; an operand
/// that is wholly parenthesised is split again; number literals are dropped.
/// </summary>
internal static partial class PromQlOperands
{
    public static IReadOnlyList<string> Of(string expression)
    {
        var operands = new List<string>();
        Split(expression.Trim(), operands);
        return operands;
    }

    private static void Split(string expression, List<string> operands)
    {
        var parts = TopLevelParts(expression);
        if (parts.Count == 1)
        {
            var only = parts[0];
            if (WhollyParenthesised(only)) Split(only[1..^1].Trim(), operands);
            else if (!NumberLiteral().IsMatch(only)) operands.Add(only);
            return;
        }
        foreach (var part in parts) Split(part, operands);
    }

    private static List<string> TopLevelParts(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                var close = text.IndexOf(c, i + 1);
                while (close > 0 && c != '`' && text[close - 1] == '\\') close = text.IndexOf(c, close + 1);
                i = close < 0 ? text.Length : close;
                continue;
            }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth--;
            if (depth != 0) continue;

            var op = Operator().Match(text, i);
            if (!op.Success || op.Index != i) continue;
            parts.Add(text[start..i].Trim());
            i += op.Length;
            // Modifiers after the operator: bool, on(…)/ignoring(…), group_left(…)/group_right(…).
            while (true)
            {
                var modifier = Modifier().Match(text, i);
                if (!modifier.Success || modifier.Index != i) break;
                i += modifier.Length;
                if (i < text.Length && text[i] == '(') i = text.IndexOf(')', i) + 1;
            }
            start = i;
            i--;
        }
        parts.Add(text[start..].Trim());
        return parts.Where(p => p.Length > 0).ToList();
    }

    private static bool WhollyParenthesised(string text)
    {
        if (!text.StartsWith('(') || !text.EndsWith(')')) return false;
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            if (depth == 0 && i < text.Length - 1) return false;
        }
        return true;
    }

    [GeneratedRegex(@"\G\s*(==|!=|>=|<=|>|<|\band\b|\bor\b|\bunless\b)\s*")]
    private static partial Regex Operator();

    [GeneratedRegex(@"\G\s*(bool|on|ignoring|group_left|group_right)\b\s*")]
    private static partial Regex Modifier();

    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex NumberLiteral();
}
