using System.Globalization;

namespace ForgetLab.Core.ChatTemplates;

/// <summary>
/// Builds the syntax tree of the supported Jinja subset, with Jinja's operator precedence (filters and tests bind
/// tighter than arithmetic: <c>a + b | trim</c> is <c>a + (b | trim)</c>). Everything outside the subset — a tag,
/// filter, test, function or method it does not know — is refused here, at parse time, naming the construct and its
/// line, so a template is validated when it is uploaded rather than when a conversation first reaches the branch.
/// </summary>
internal sealed class Parser(List<Token> tokens, ChatTemplateLimits limits, TemplateDialect? dialect = null)
{
    internal static readonly HashSet<string> Filters =
    [
        "trim", "length", "count", "tojson", "items", "join", "reject", "select", "rejectattr", "selectattr", "upper",
        "lower", "default", "d", "first", "last", "string", "int", "float", "list", "capitalize", "title", "replace",
        "safe", "abs",
    ];

    internal static readonly HashSet<string> Tests =
    [
        "defined", "undefined", "none", "string", "number", "integer", "float", "boolean", "mapping", "iterable",
        "sequence", "true", "false", "even", "odd", "equalto", "eq", "ne", "in",
    ];

    internal static readonly HashSet<string> Functions = ["namespace", "raise_exception", "strftime_now", "range"];

    internal static readonly HashSet<string> Methods =
    [
        "strip", "lstrip", "rstrip", "startswith", "endswith", "split", "upper", "lower", "replace", "title",
        "capitalize", "items", "keys", "values", "get", "index",
    ];

    private static readonly HashSet<string> KnownUnsupportedTags =
    [
        "macro", "endmacro", "call", "endcall", "filter", "endfilter", "include", "import", "from", "extends", "block",
        "endblock", "raw", "endraw", "with", "endwith", "autoescape", "endautoescape", "break", "continue", "do",
        "generation", "endgeneration", "trans", "endtrans", "endset",
    ];

    private int _pos;
    private int _blockDepth;
    private int _exprDepth;

    public IReadOnlyList<Stmt> ParseTemplate()
    {
        return ParseBody(new HashSet<string>()).Body;
    }

    private Token Peek => tokens[_pos];

    private Token Next() => tokens[_pos++];

    private static ChatTemplateException Error(string reason, int line) => new(reason, line);

    // Parses statements until one of `stops` opens a block tag; returns that tag's keyword token (null at the end).
    private (List<Stmt> Body, Token? Stop) ParseBody(IReadOnlySet<string> stops)
    {
        var body = new List<Stmt>();
        while (true)
        {
            var t = Next();
            switch (t.Kind)
            {
                case TokenKind.End:
                    _pos--;
                    return (body, null);
                case TokenKind.Text:
                    body.Add(new TextStmt(t.Text, t.Line));
                    break;
                case TokenKind.VarStart:
                    var value = ParseExpression();
                    Expect(TokenKind.VarEnd, "'}}'");
                    body.Add(new OutputStmt(value, t.Line));
                    break;
                case TokenKind.BlockStart:
                    var keyword = Next();
                    if (keyword.Kind != TokenKind.Name) throw Error("expected a tag name after '{%'", keyword.Line);
                    if (stops.Contains(keyword.Text)) return (body, keyword);
                    body.Add(ParseStatement(keyword));
                    break;
                default:
                    throw Error($"unexpected '{t.Text}'", t.Line);
            }
        }
    }

    private Stmt ParseStatement(Token keyword)
    {
        if (++_blockDepth > limits.MaxNesting)
            throw Error($"blocks nested deeper than {limits.MaxNesting}", keyword.Line);
        try
        {
            return keyword.Text switch
            {
                "if" => ParseIf(keyword),
                "for" => ParseFor(keyword),
                "set" => ParseSet(keyword),
                "elif" or "else" or "endif" or "endfor" => throw Error($"unexpected '{{% {keyword.Text} %}}' with no block open", keyword.Line),
                var k when KnownUnsupportedTags.Contains(k) => throw Error($"unsupported tag '{{% {k} %}}'", keyword.Line),
                var k => throw Error($"unknown tag '{{% {k} %}}'", keyword.Line),
            };
        }
        finally
        {
            _blockDepth--;
        }
    }

    private IfStmt ParseIf(Token keyword)
    {
        var branches = new List<(Expr, IReadOnlyList<Stmt>)>();
        IReadOnlyList<Stmt> elseBody = [];
        var condition = ParseExpression();
        while (true)
        {
            Expect(TokenKind.BlockEnd, "'%}'");
            var (body, stop) = ParseBody(new HashSet<string> { "elif", "else", "endif" });
            branches.Add((condition, body));
            if (stop is null) throw Error("'{% if %}' is never closed with '{% endif %}'", keyword.Line);
            if (stop.Value.Text == "elif")
            {
                condition = ParseExpression();
                continue;
            }
            if (stop.Value.Text == "else")
            {
                Expect(TokenKind.BlockEnd, "'%}'");
                var (tail, end) = ParseBody(new HashSet<string> { "endif" });
                if (end is null) throw Error("'{% if %}' is never closed with '{% endif %}'", keyword.Line);
                elseBody = tail;
            }
            Expect(TokenKind.BlockEnd, "'%}'");
            return new IfStmt(branches, elseBody, keyword.Line);
        }
    }

    private ForStmt ParseFor(Token keyword)
    {
        var targets = new List<string> { ExpectName() };
        while (IsOp(","))
        {
            _pos++;
            targets.Add(ExpectName());
        }
        if (!IsName("in")) throw Error("expected 'in' in '{% for %}'", Peek.Line);
        _pos++;
        var iterable = ParseOr();
        Expr? filter = null;
        if (IsName("if"))
        {
            _pos++;
            filter = ParseOr();
        }
        if (IsName("recursive")) throw Error("unsupported construct 'recursive' loop", Peek.Line);
        Expect(TokenKind.BlockEnd, "'%}'");
        var (body, stop) = ParseBody(new HashSet<string> { "else", "endfor" });
        if (stop is null) throw Error("'{% for %}' is never closed with '{% endfor %}'", keyword.Line);
        IReadOnlyList<Stmt> elseBody = [];
        if (stop.Value.Text == "else")
        {
            Expect(TokenKind.BlockEnd, "'%}'");
            var (tail, end) = ParseBody(new HashSet<string> { "endfor" });
            if (end is null) throw Error("'{% for %}' is never closed with '{% endfor %}'", keyword.Line);
            elseBody = tail;
        }
        Expect(TokenKind.BlockEnd, "'%}'");
        return new ForStmt(targets, iterable, filter, body, elseBody, keyword.Line);
    }

    private SetStmt ParseSet(Token keyword)
    {
        var name = ExpectName();
        string? attribute = null;
        if (IsOp("."))
        {
            _pos++;
            attribute = ExpectName();
        }
        if (IsOp(",")) throw Error("unsupported construct: '{% set %}' of several names", Peek.Line);
        if (Peek.Kind == TokenKind.BlockEnd) throw Error("unsupported construct: block '{% set %}' … '{% endset %}'", keyword.Line);
        if (!IsOp("=")) throw Error("expected '=' in '{% set %}'", Peek.Line);
        _pos++;
        var value = ParseExpression();
        Expect(TokenKind.BlockEnd, "'%}'");
        return new SetStmt(name, attribute, value, keyword.Line);
    }

    private T Checked<T>(T e) where T : Expr =>
        e.Depth > limits.MaxNesting ? throw Error($"expression nested deeper than {limits.MaxNesting}", e.Line) : e;

    // Parentheses, brackets and prefix operators recurse; the guard refuses `((((…` before the stack runs out.
    private T Nested<T>(Func<T> parse)
    {
        if (++_exprDepth > limits.MaxNesting)
            throw Error($"expression nested deeper than {limits.MaxNesting}", Peek.Line);
        try
        {
            return parse();
        }
        finally
        {
            _exprDepth--;
        }
    }

    private Expr ParseExpression() => Nested(ParseConditional);

    private Expr ParseConditional()
    {
        var e = ParseOr();
        while (IsName("if"))
        {
            var line = Next().Line;
            var condition = ParseOr();
            Expr? otherwise = null;
            if (IsName("else"))
            {
                _pos++;
                otherwise = ParseExpression();
            }
            e = Checked(new Conditional(condition, e, otherwise, line));
        }
        return e;
    }

    private Expr ParseOr()
    {
        var e = ParseAnd();
        while (IsName("or")) e = Checked(new Binary("or", e, Skip(ParseAnd), e.Line));
        return e;
    }

    private Expr ParseAnd()
    {
        var e = ParseNot();
        while (IsName("and")) e = Checked(new Binary("and", e, Skip(ParseNot), e.Line));
        return e;
    }

    private Expr ParseNot()
    {
        if (!IsName("not")) return ParseCompare();
        var line = Next().Line;
        return Checked(new Unary("not", Nested(ParseNot), line));
    }

    private Expr ParseCompare()
    {
        var e = ParseMath1();
        string? op = null;
        if (Peek.Kind == TokenKind.Operator && Peek.Text is "==" or "!=" or "<" or ">" or "<=" or ">=") op = Next().Text;
        else if (IsName("in")) { _pos++; op = "in"; }
        else if (IsName("not") && tokens[_pos + 1] is { Kind: TokenKind.Name, Text: "in" }) { _pos += 2; op = "not in"; }
        if (op is null) return e;
        var result = Checked(new Binary(op, e, ParseMath1(), e.Line));
        if ((Peek.Kind == TokenKind.Operator && Peek.Text is "==" or "!=" or "<" or ">" or "<=" or ">=") || IsName("in"))
            throw Error("unsupported construct: chained comparison", Peek.Line);
        return result;
    }

    private Expr ParseMath1()
    {
        var e = ParseConcat();
        while (IsOp("+") || IsOp("-")) e = Checked(new Binary(Next().Text, e, ParseConcat(), e.Line));
        return e;
    }

    private Expr ParseConcat()
    {
        var e = ParseMath2();
        while (IsOp("~")) e = Checked(new Binary(Next().Text, e, ParseMath2(), e.Line));
        return e;
    }

    private Expr ParseMath2()
    {
        var e = ParsePow();
        while (IsOp("*") || IsOp("/") || IsOp("//") || IsOp("%")) e = Checked(new Binary(Next().Text, e, ParsePow(), e.Line));
        return e;
    }

    private Expr ParsePow()
    {
        var e = ParseUnary(withFilter: true);
        while (IsOp("**")) e = Checked(new Binary(Next().Text, e, ParseUnary(withFilter: true), e.Line));
        return e;
    }

    private Expr ParseUnary(bool withFilter)
    {
        Expr e;
        if (IsOp("-") || IsOp("+"))
        {
            var t = Next();
            e = Checked(new Unary(t.Text, Nested(() => ParseUnary(withFilter: false)), t.Line));
        }
        else
        {
            e = ParsePostfix(ParsePrimary());
        }
        return withFilter ? ParseFilters(e) : e;
    }

    private Expr ParsePrimary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case TokenKind.Name:
                return t.Text switch
                {
                    "true" or "True" => new Literal(true, t.Line),
                    "false" or "False" => new Literal(false, t.Line),
                    "none" or "None" => new Literal(null, t.Line),
                    _ => new Variable(t.Text, t.Line),
                };
            case TokenKind.String:
                var s = t.Text;
                while (Peek.Kind == TokenKind.String) s += Next().Text; // adjacent literals concatenate, as in Python
                return new Literal(s, t.Line);
            case TokenKind.Integer:
                return new Literal(long.Parse(t.Text, CultureInfo.InvariantCulture), t.Line);
            case TokenKind.Float:
                return new Literal(double.Parse(t.Text, CultureInfo.InvariantCulture), t.Line);
            case TokenKind.Operator when t.Text == "(":
                var inner = ParseExpression();
                if (IsOp(","))
                {
                    var items = new List<Expr> { inner };
                    while (IsOp(","))
                    {
                        _pos++;
                        if (IsOp(")")) break;
                        items.Add(ParseExpression());
                    }
                    inner = Checked(new ListExpr(items, t.Line));
                }
                ExpectOp(")");
                return inner;
            case TokenKind.Operator when t.Text == "[":
                var list = new List<Expr>();
                while (!IsOp("]"))
                {
                    list.Add(ParseExpression());
                    if (!IsOp(",")) break;
                    _pos++;
                }
                ExpectOp("]");
                return Checked(new ListExpr(list, t.Line));
            case TokenKind.Operator when t.Text == "{":
                var pairs = new List<KeyValuePair<Expr, Expr>>();
                while (!IsOp("}"))
                {
                    var key = ParseExpression();
                    ExpectOp(":");
                    pairs.Add(new(key, ParseExpression()));
                    if (!IsOp(",")) break;
                    _pos++;
                }
                ExpectOp("}");
                return Checked(new DictExpr(pairs, t.Line));
            default:
                throw Error(t.Kind == TokenKind.End ? "unexpected end of template" : $"unexpected '{Describe(t)}' in an expression", t.Line);
        }
    }

    private Expr ParsePostfix(Expr e)
    {
        while (true)
        {
            if (IsOp("."))
            {
                _pos++;
                var name = Peek.Kind == TokenKind.Integer ? Next().Text : ExpectName();
                e = long.TryParse(name, out var index) ? Checked(new GetItem(e, new Literal(index, e.Line), e.Line)) : Checked(new GetAttr(e, name, e.Line));
            }
            else if (IsOp("["))
            {
                var line = Next().Line;
                Expr? start = IsOp(":") ? null : ParseExpression();
                if (IsOp(":"))
                {
                    _pos++;
                    Expr? stop = IsOp(":") || IsOp("]") ? null : ParseExpression();
                    Expr? step = null;
                    if (IsOp(":"))
                    {
                        _pos++;
                        step = IsOp("]") ? null : ParseExpression();
                    }
                    e = Checked(new SliceExpr(e, start, stop, step, line));
                }
                else
                {
                    e = Checked(new GetItem(e, start!, line));
                }
                ExpectOp("]");
            }
            else if (IsOp("("))
            {
                var line = Next().Line;
                switch (e)
                {
                    case Variable v when !Functions.Contains(v.Name):
                        throw Error($"unsupported function '{v.Name}()'", line);
                    case GetAttr a when !Methods.Contains(a.Name):
                        throw Error($"unsupported method '.{a.Name}()'", line);
                    case Variable or GetAttr:
                        break;
                    default:
                        throw Error("unsupported construct: calling the result of an expression", line);
                }
                var (args, kwargs) = ParseArgs();
                e = Checked(new CallExpr(e, args, kwargs, line));
            }
            else
            {
                return e;
            }
        }
    }

    private Expr ParseFilters(Expr e)
    {
        while (true)
        {
            if (IsOp("|"))
            {
                var line = Next().Line;
                var name = ExpectName();
                if (!Filters.Contains(name) && !(name == "regex_replace" && dialect?.RegexReplace == true))
                    throw Error($"unsupported filter '{name}'", line);
                var (args, kwargs) = IsOp("(") ? Skip(ParseArgs) : ([], []);
                e = Checked(new FilterExpr(e, name, args, kwargs, line));
            }
            else if (IsName("is"))
            {
                var line = Next().Line;
                var negated = IsName("not");
                if (negated) _pos++;
                var name = ExpectName();
                if (!Tests.Contains(name)) throw Error($"unsupported test '{name}'", line);
                List<Expr> args = [];
                if (IsOp("("))
                {
                    _pos++;
                    var (a, kw) = ParseArgs();
                    if (kw.Count > 0) throw Error($"test '{name}' takes no keyword arguments", line);
                    args = a;
                }
                else if (Peek.Kind is TokenKind.String or TokenKind.Integer or TokenKind.Float
                         || (Peek.Kind == TokenKind.Name && Peek.Text is not ("and" or "or" or "else" or "if" or "not" or "in" or "is")))
                {
                    args = [ParsePostfix(ParsePrimary())];
                }
                e = Checked(new TestExpr(e, name, args, negated, line));
            }
            else
            {
                return e;
            }
        }
    }

    // After '(' has been consumed.
    private (List<Expr> Args, List<KeyValuePair<string, Expr>> Kwargs) ParseArgs()
    {
        var args = new List<Expr>();
        var kwargs = new List<KeyValuePair<string, Expr>>();
        while (!IsOp(")"))
        {
            if (Peek.Kind == TokenKind.Name && tokens[_pos + 1] is { Kind: TokenKind.Operator, Text: "=" })
            {
                var name = Next().Text;
                _pos++;
                kwargs.Add(new(name, ParseExpression()));
            }
            else
            {
                if (kwargs.Count > 0) throw Error("positional argument after a keyword argument", Peek.Line);
                args.Add(ParseExpression());
            }
            if (!IsOp(",")) break;
            _pos++;
        }
        ExpectOp(")");
        return (args, kwargs);
    }

    private T Skip<T>(Func<T> parse)
    {
        _pos++;
        return parse();
    }

    private bool IsOp(string op) => Peek.Kind == TokenKind.Operator && Peek.Text == op;

    private bool IsName(string name) => Peek.Kind == TokenKind.Name && Peek.Text == name;

    private string ExpectName()
    {
        var t = Next();
        return t.Kind == TokenKind.Name ? t.Text : throw Error($"expected a name, found '{Describe(t)}'", t.Line);
    }

    private void ExpectOp(string op)
    {
        var t = Next();
        if (t.Kind != TokenKind.Operator || t.Text != op) throw Error($"expected '{op}', found '{Describe(t)}'", t.Line);
    }

    private void Expect(TokenKind kind, string what)
    {
        var t = Next();
        if (t.Kind != kind) throw Error($"expected {what}, found '{Describe(t)}'", t.Line);
    }

    private static string Describe(Token t) => t.Kind switch
    {
        TokenKind.End => "end of template",
        TokenKind.VarEnd => "}}",
        TokenKind.BlockEnd => "%}",
        TokenKind.VarStart => "{{",
        TokenKind.BlockStart => "{%",
        _ => t.Text,
    };
}
