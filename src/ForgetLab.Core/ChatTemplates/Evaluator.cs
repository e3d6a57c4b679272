using System.Globalization;
using System.Text;

namespace ForgetLab.Core.ChatTemplates;

/// <summary>
/// Renders a parsed template. Where Python's Jinja and the reference renderer (<c>@huggingface/jinja</c>, against
/// which the tests compare) differ on something the real templates never print, this follows the reference:
/// <c>{{ none }}</c> and undefined values print nothing, booleans print <c>true</c>/<c>false</c>, lists and dicts
/// print as JSON, and an attribute of an undefined value is undefined. Output, built strings and loop iterations
/// are capped by <see cref="ChatTemplateLimits"/>.
/// </summary>
internal sealed class Evaluator(ChatTemplateLimits limits, TimeProvider time, TemplateDialect? dialect = null)
{
    private readonly StringBuilder _out = new();
    private readonly TemplateDialect _dialect = dialect ?? TemplateDialect.Transformers;
    private long _iterations;

    public string Render(IReadOnlyList<Stmt> body, Scope globals)
    {
        Execute(body, globals);
        return _out.ToString();
    }

    private void Write(string s, int line)
    {
        if (_out.Length + s.Length > limits.MaxOutputChars)
            throw new ChatTemplateException($"output longer than {limits.MaxOutputChars} characters", line);
        _out.Append(s);
    }

    private void Execute(IReadOnlyList<Stmt> body, Scope scope)
    {
        foreach (var stmt in body)
        {
            switch (stmt)
            {
                case TextStmt t:
                    Write(t.Text, t.Line);
                    break;
                case OutputStmt o:
                    Write(Text(Eval(o.Value, scope), o.Line), o.Line);
                    break;
                case IfStmt i:
                    var taken = i.Branches.FirstOrDefault(b => Truthy(Eval(b.Condition, scope)));
                    Execute(taken.Body ?? i.Else, scope);
                    break;
                case ForStmt f:
                    ExecuteFor(f, scope);
                    break;
                case SetStmt s:
                    var value = Eval(s.Value, scope);
                    if (s.Attribute is null) scope.Set(s.Name, value);
                    else if (scope.Lookup(s.Name) is Namespace ns) ns.Values[s.Attribute] = value;
                    else throw new ChatTemplateException($"'{{% set {s.Name}.{s.Attribute} %}}' needs '{s.Name}' to be a namespace()", s.Line);
                    break;
            }
        }
    }

    private void ExecuteFor(ForStmt f, Scope scope)
    {
        var items = Iterate(Eval(f.Iterable, scope), f.Line);
        if (f.Filter is not null)
            items = [.. items.Where(item => Truthy(Eval(f.Filter, Bind(f, new Scope(scope), item))))];
        if (items.Count == 0)
        {
            Execute(f.Else, scope);
            return;
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (++_iterations > limits.MaxIterations)
                throw new ChatTemplateException($"more than {limits.MaxIterations} loop iterations", f.Line);
            var inner = Bind(f, new Scope(scope), items[i]);
            var loop = new OrderedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["index"] = (long)i + 1,
                ["index0"] = (long)i,
                ["revindex"] = (long)(items.Count - i),
                ["revindex0"] = (long)(items.Count - i - 1),
                ["first"] = i == 0,
                ["last"] = i == items.Count - 1,
                ["length"] = (long)items.Count,
                ["previtem"] = i > 0 ? items[i - 1] : Undefined.Instance,
                ["nextitem"] = i < items.Count - 1 ? items[i + 1] : Undefined.Instance,
            };
            inner.Set("loop", loop);
            Execute(f.Body, inner);
        }
    }

    private static Scope Bind(ForStmt f, Scope scope, object? item)
    {
        if (f.Targets.Count == 1)
        {
            scope.Set(f.Targets[0], item);
            return scope;
        }
        if (item is not List<object?> parts || parts.Count != f.Targets.Count)
            throw new ChatTemplateException($"cannot unpack {TypeName(item)} into {f.Targets.Count} loop variables", f.Line);
        for (var k = 0; k < parts.Count; k++) scope.Set(f.Targets[k], parts[k]);
        return scope;
    }

    private static List<object?> Iterate(object? value, int line) => value switch
    {
        List<object?> list => list,
        OrderedDictionary<string, object?> dict => [.. dict.Keys],
        Namespace ns => [.. ns.Values.Keys],
        string s => [.. Runes(s)],
        Undefined => [],
        _ => throw new ChatTemplateException($"{TypeName(value)} is not iterable", line),
    };

    // Under StrictUndefined a missing name, key or attribute is an error where it is used; only the targets of
    // `is defined` / `is undefined` and of `default` may be undefined (mayBeUndefined).
    private object? Eval(Expr e, Scope scope, bool mayBeUndefined = false)
    {
        var value = EvalAny(e, scope);
        if (value is Undefined && _dialect.StrictUndefined && !mayBeUndefined)
            throw new ChatTemplateException($"{Describe(e)} is undefined", e.Line);
        return value;
    }

    private static string Describe(Expr e) => e switch
    {
        Variable v => $"'{v.Name}'",
        GetAttr a => $"{Describe(a.Target)}.{a.Name}",
        GetItem { Key: Literal { Value: var k } } g => $"{Describe(g.Target)}[{Evaluator.ToText(k)}]",
        GetItem g => $"{Describe(g.Target)}[…]",
        _ => "a value",
    };

    private object? EvalAny(Expr e, Scope scope)
    {
        switch (e)
        {
            case Literal l:
                return l.Value;
            case Variable v:
                return scope.Lookup(v.Name);
            case GetAttr a:
                return Attribute(Eval(a.Target, scope), a.Name);
            case GetItem g:
                return Item(Eval(g.Target, scope), Eval(g.Key, scope), g.Line);
            case SliceExpr s:
                return Slice(Eval(s.Target, scope), s.Start is null ? null : Eval(s.Start, scope),
                    s.Stop is null ? null : Eval(s.Stop, scope), s.Step is null ? null : Eval(s.Step, scope), s.Line);
            case ListExpr l:
                return l.Items.Select(i => Eval(i, scope)).ToList();
            case DictExpr d:
                var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (k, v) in d.Items)
                    dict[Eval(k, scope) as string ?? throw new ChatTemplateException("dict keys must be strings", d.Line)] = Eval(v, scope);
                return dict;
            case Conditional c:
                return Truthy(Eval(c.Condition, scope)) ? Eval(c.IfTrue, scope) : c.IfFalse is null ? Undefined.Instance : Eval(c.IfFalse, scope);
            case Unary u:
                var operand = Eval(u.Operand, scope);
                return u.Op switch
                {
                    "not" => !Truthy(operand),
                    "-" => operand switch
                    {
                        long n => (object)(-n),
                        double d => -d,
                        _ => throw new ChatTemplateException($"cannot negate {TypeName(operand)}", u.Line),
                    },
                    _ => operand is long or double ? operand : throw new ChatTemplateException($"cannot apply unary '+' to {TypeName(operand)}", u.Line),
                };
            case Binary b:
                return EvalBinary(b, scope);
            case TestExpr t:
                return RunTest(t.Name, Eval(t.Target, scope, mayBeUndefined: t.Name is "defined" or "undefined"), [.. t.Args.Select(a => Eval(a, scope))], t.Line) != t.Negated;
            case FilterExpr f:
                return Builtins.Filter(this, f.Name, Eval(f.Target, scope, mayBeUndefined: f.Name is "default" or "d"), [.. f.Args.Select(a => Eval(a, scope))],
                    f.Kwargs.ToDictionary(k => k.Key, k => Eval(k.Value, scope)), f.Line);
            case CallExpr c:
                var args = c.Args.Select(a => Eval(a, scope)).ToList();
                var kwargs = c.Kwargs.ToDictionary(k => k.Key, k => Eval(k.Value, scope));
                return c.Callee is GetAttr m
                    ? Builtins.Method(this, Eval(m.Target, scope), m.Name, args, kwargs, c.Line)
                    : Builtins.Function(this, ((Variable)c.Callee).Name, args, kwargs, c.Line, time);
            default:
                throw new ChatTemplateException($"unsupported expression {e.GetType().Name}", e.Line);
        }
    }

    private object? EvalBinary(Binary b, Scope scope)
    {
        var left = Eval(b.Left, scope);
        if (b.Op == "and") return Truthy(left) ? Eval(b.Right, scope) : left;
        if (b.Op == "or") return Truthy(left) ? left : Eval(b.Right, scope);
        var right = Eval(b.Right, scope);
        switch (b.Op)
        {
            case "==": return Equal(left, right);
            case "!=": return !Equal(left, right);
            case "in": return Contains(right, left, b.Line);
            case "not in": return !Contains(right, left, b.Line);
            case "~": return Capped(Text(left, b.Line) + Text(right, b.Line), b.Line);
            case "<" or ">" or "<=" or ">=":
                var c = Compare(left, right, b.Op, b.Line);
                return b.Op switch { "<" => c < 0, ">" => c > 0, "<=" => c <= 0, _ => c >= 0 };
            case "+" when left is string ls && right is string rs:
                return Capped(ls + rs, b.Line);
            case "+" when left is List<object?> ll && right is List<object?> rl:
                return CappedList([.. ll, .. rl], b.Line);
            case "*" when left is string s && right is long n:
                return Capped(Repeat(s, n, b.Line), b.Line);
            case "*" when left is long n && right is string s:
                return Capped(Repeat(s, n, b.Line), b.Line);
        }
        if (left is long x && right is long y)
        {
            try
            {
                return checked(b.Op switch
                {
                    "+" => x + y,
                    "-" => x - y,
                    "*" => x * y,
                    "/" => y == 0 ? throw DivisionByZero(b) : (double)x / y,
                    "//" => y == 0 ? throw DivisionByZero(b) : (long)Math.Floor((double)x / y),
                    "%" => y == 0 ? throw DivisionByZero(b) : y == -1 ? 0L : ((x % y) + y) % y,
                    _ => y < 0 ? Math.Pow(x, y) : (object)(long)Math.Pow(x, y),
                });
            }
            catch (OverflowException)
            {
                // Python's integers are unbounded; this renderer's are 64-bit, and says so rather than wrapping.
                throw new ChatTemplateException($"integer overflow in '{b.Op}'", b.Line);
            }
        }
        if (left is long or double && right is long or double)
        {
            double dx = Convert.ToDouble(left, CultureInfo.InvariantCulture), dy = Convert.ToDouble(right, CultureInfo.InvariantCulture);
            return b.Op switch
            {
                "+" => dx + dy,
                "-" => dx - dy,
                "*" => dx * dy,
                "/" => dy == 0 ? throw DivisionByZero(b) : dx / dy,
                "//" => dy == 0 ? throw DivisionByZero(b) : Math.Floor(dx / dy),
                "%" => dy == 0 ? throw DivisionByZero(b) : dx - (dy * Math.Floor(dx / dy)),
                _ => Math.Pow(dx, dy),
            };
        }
        throw new ChatTemplateException($"cannot apply '{b.Op}' to {TypeName(left)} and {TypeName(right)}", b.Line);
    }

    private static ChatTemplateException DivisionByZero(Binary b) => new("division by zero", b.Line);

    private string Repeat(string s, long n, int line)
    {
        if (n <= 0 || s.Length == 0) return "";
        if (s.Length * (double)n > limits.MaxOutputChars)
            throw new ChatTemplateException($"string longer than {limits.MaxOutputChars} characters", line);
        return string.Concat(Enumerable.Repeat(s, (int)n));
    }

    internal string Capped(string s, int line) =>
        s.Length > limits.MaxOutputChars ? throw new ChatTemplateException($"string longer than {limits.MaxOutputChars} characters", line) : s;

    internal int MaxListLength => limits.MaxIterations;

    internal int MaxStringLength => limits.MaxOutputChars;

    private List<object?> CappedList(List<object?> list, int line) =>
        list.Count > MaxListLength ? throw new ChatTemplateException($"list longer than {limits.MaxIterations} items", line) : list;

    internal bool RunTest(string name, object? v, List<object?> args, int line)
    {
        object? Arg() => args.Count > 0 ? args[0] : throw new ChatTemplateException($"test '{name}' needs an argument", line);
        return name switch
        {
            "defined" => v is not Undefined,
            "undefined" => v is Undefined,
            "none" => v is null,
            "string" => v is string,
            "number" => v is long or double,
            "integer" => v is long,
            "float" => v is double,
            "boolean" => v is bool,
            "mapping" => v is OrderedDictionary<string, object?> or Namespace,
            "iterable" => v is string or List<object?> or OrderedDictionary<string, object?>,
            "sequence" => v is string or List<object?> or OrderedDictionary<string, object?>,
            "true" => v is true,
            "false" => v is false,
            "even" => v is long n ? n % 2 == 0 : throw new ChatTemplateException($"test 'even' needs an integer, not {TypeName(v)}", line),
            "odd" => v is long m ? m % 2 != 0 : throw new ChatTemplateException($"test 'odd' needs an integer, not {TypeName(v)}", line),
            "equalto" or "eq" => Equal(v, Arg()),
            "ne" => !Equal(v, Arg()),
            "in" => Contains(Arg(), v, line),
            _ => throw new ChatTemplateException($"unsupported test '{name}'", line),
        };
    }

    internal static object? Attribute(object? target, string name) => target switch
    {
        OrderedDictionary<string, object?> d => d.TryGetValue(name, out var v) ? v : Undefined.Instance,
        Namespace ns => ns.Values.TryGetValue(name, out var v) ? v : Undefined.Instance,
        _ => Undefined.Instance,
    };

    private static object? Item(object? target, object? key, int line)
    {
        switch (target)
        {
            case OrderedDictionary<string, object?> or Namespace:
                return key is string k ? Attribute(target, k) : Undefined.Instance;
            case List<object?> list when key is long i:
                if (i < 0) i += list.Count;
                return i >= 0 && i < list.Count ? list[(int)i] : Undefined.Instance;
            case string s when key is long i:
                var runes = Runes(s);
                if (i < 0) i += runes.Count;
                return i >= 0 && i < runes.Count ? runes[(int)i] : Undefined.Instance;
            case Undefined or null:
                return Undefined.Instance;
            default:
                throw new ChatTemplateException($"cannot index {TypeName(target)} with {TypeName(key)}", line);
        }
    }

    // Python's slice semantics (negative bounds count from the end, a negative step walks backwards).
    private static object? Slice(object? target, object? start, object? stop, object? step, int line)
    {
        List<object?> items = target switch
        {
            List<object?> l => l,
            string s => [.. Runes(s)],
            Undefined => [],
            _ => throw new ChatTemplateException($"cannot slice {TypeName(target)}", line),
        };
        long Bound(object? b, string what) => b switch
        {
            long n => n,
            _ => throw new ChatTemplateException($"slice {what} must be an integer, not {TypeName(b)}", line),
        };
        var n = (long)items.Count;
        var st = step is null ? 1 : Bound(step, "step");
        if (st == 0) throw new ChatTemplateException("slice step cannot be zero", line);
        long Clamp(object? b, long dflt, string what)
        {
            if (b is null) return dflt;
            var v = Bound(b, what);
            if (v < 0) v += n;
            return st > 0 ? Math.Clamp(v, 0, n) : Math.Clamp(v, -1, n - 1);
        }
        var a = Clamp(start, st > 0 ? 0 : n - 1, "start");
        var z = Clamp(stop, st > 0 ? n : -1, "stop");
        var result = new List<object?>();
        for (var i = a; st > 0 ? i < z : i > z; i += st) result.Add(items[(int)i]);
        return target is string ? string.Concat(result) : result;
    }

    internal static List<object?> Runes(string s) => [.. s.EnumerateRunes().Select(r => (object?)r.ToString())];

    internal bool Contains(object? container, object? item, int line) => container switch
    {
        string s when item is string sub => s.Contains(sub, StringComparison.Ordinal),
        List<object?> list => list.Any(x => Equal(x, item)),
        OrderedDictionary<string, object?> d => item is string k && d.ContainsKey(k),
        Namespace ns => item is string k && ns.Values.ContainsKey(k),
        _ => throw new ChatTemplateException($"cannot test 'in' on {TypeName(container)}", line),
    };

    internal static bool Truthy(object? v) => v switch
    {
        null or Undefined => false,
        bool b => b,
        long n => n != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> l => l.Count > 0,
        OrderedDictionary<string, object?> d => d.Count > 0,
        _ => true,
    };

    internal static bool Equal(object? a, object? b) => (a, b) switch
    {
        (null, null) or (Undefined, Undefined) => true,
        (long x, long y) => x == y,
        (long or double, long or double) => Convert.ToDouble(a, CultureInfo.InvariantCulture) == Convert.ToDouble(b, CultureInfo.InvariantCulture),
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (bool x, bool y) => x == y,
        (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => Equal(p.First, p.Second)),
        (OrderedDictionary<string, object?> x, OrderedDictionary<string, object?> y) =>
            x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var other) && Equal(kv.Value, other)),
        _ => ReferenceEquals(a, b),
    };

    private static int Compare(object? a, object? b, string op, int line) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (long or double, long or double) => Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture)),
        (string x, string y) => string.CompareOrdinal(x, y),
        _ => throw new ChatTemplateException($"cannot compare {TypeName(a)} {op} {TypeName(b)}", line),
    };

    internal static string TypeName(object? v) => v switch
    {
        null => "none",
        Undefined => "undefined",
        string => "a string",
        long => "an integer",
        double => "a float",
        bool => "a boolean",
        List<object?> => "a list",
        OrderedDictionary<string, object?> => "a dict",
        Namespace => "a namespace",
        _ => v.GetType().Name,
    };

    /// <summary>What <c>{{ value }}</c> prints in this renderer's dialect.</summary>
    internal string Text(object? v, int line) =>
        !_dialect.PythonValues ? ToText(v)
        : v is Undefined ? throw new ChatTemplateException("an undefined value cannot be printed", line)
        : Python.PythonValues.Str(v switch
        {
            Namespace ns => ns.Values,
            _ => v,
        });

    /// <summary>What <c>{{ value }}</c> prints for chat templates (the reference renderer's choices; see the class comment).</summary>
    internal static string ToText(object? v) => v switch
    {
        null or Undefined => "",
        string s => s,
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        _ => Json.Write(v, indent: null, ChatTemplateLimits.Default.MaxOutputChars, 0),
    };

    internal static string FormatFloat(double d) =>
        double.IsInteger(d) && Math.Abs(d) < 1e16 ? d.ToString("0.0", CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);
}
