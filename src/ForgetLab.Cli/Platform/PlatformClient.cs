using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ForgetLab.Cli.Platform;

/// <summary>A problem the server answered with (ProblemDetails), kept with its HTTP status for the exit code.</summary>
internal sealed class PlatformException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// The REST API as the CLI uses it: base address from <c>FORGETLAB_URL</c>, key from
/// <c>FORGETLAB_API_KEY</c> (both written to <c>.forgetlab/up.env</c> by <c>./forgetlab up</c>).
/// Error answers become <see cref="PlatformException"/>s carrying the server's own message and field errors.
/// </summary>
internal sealed class PlatformClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static PlatformClient FromEnvironment()
    {
        var url = Environment.GetEnvironmentVariable("FORGETLAB_URL");
        var key = Environment.GetEnvironmentVariable("FORGETLAB_API_KEY");
        if (string.IsNullOrWhiteSpace(url) || string.IsNullOrWhiteSpace(key))
            throw new PlatformException(HttpStatusCode.Unauthorized,
                "FORGETLAB_URL and FORGETLAB_API_KEY must be set (after ./forgetlab up: `set -a; . .forgetlab/up.env; set +a`)");
        var http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/api/v1/"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return new PlatformClient(http);
    }

    public Task<T> Get<T>(string path) => Send<T>(new HttpRequestMessage(HttpMethod.Get, path));

    public async Task<string> GetText(string path)
    {
        using var response = await http.GetAsync(path);
        if (!response.IsSuccessStatusCode) throw new PlatformException(response.StatusCode, await Describe(response));
        return await response.Content.ReadAsStringAsync();
    }

    public Task<T> Post<T>(string path, object? body = null) =>
        Send<T>(new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) });

    public Task<T> Put<T>(string path, object body) =>
        Send<T>(new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body, options: Json) });

    public Task<T> PostYaml<T>(string path, string yaml) =>
        Send<T>(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(yaml, Encoding.UTF8, "text/yaml") });

    public Task<T> PostZip<T>(string path, byte[] zip)
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return Send<T>(new HttpRequestMessage(HttpMethod.Post, path) { Content = content });
    }

    /// <summary>Posts a file as it is on disk (streamed, not read into memory), as <paramref name="contentType"/>.</summary>
    public async Task<T> PostFile<T>(string path, string file, string contentType)
    {
        await using var stream = File.OpenRead(file);
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await Send<T>(new HttpRequestMessage(HttpMethod.Post, path) { Content = content });
    }

    public Task<T> Delete<T>(string path) => Send<T>(new HttpRequestMessage(HttpMethod.Delete, path));

    private async Task<T> Send<T>(HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        if (response.IsSuccessStatusCode)
            return (await response.Content.ReadFromJsonAsync<T>(Json))!;
        throw new PlatformException(response.StatusCode, await Describe(response));
    }

    /// <summary>ProblemDetails as a user reads it: the title/detail, then one line per field error ("line N path: message", or "path: message" when no line applies).</summary>
    private static async Task<string> Describe(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var lines = new List<string> { $"{(int)response.StatusCode} {Str(root, "title") ?? response.ReasonPhrase}: {Str(root, "detail")}".TrimEnd(' ', ':') };
            if (root.TryGetProperty("fieldErrors", out var fields) && fields.ValueKind == JsonValueKind.Array)
                foreach (var f in fields.EnumerateArray())
                    lines.Add(f.GetProperty("line").GetInt32() > 0
                        ? $"  line {f.GetProperty("line")} {Str(f, "path")}: {Str(f, "message")}"
                        : $"  {Str(f, "path")}: {Str(f, "message")}"); // not from a spec line (a model file, a query field)
            return string.Join(Environment.NewLine, lines);
        }
        catch (JsonException)
        {
            return $"{(int)response.StatusCode} {response.ReasonPhrase}: {text}";
        }
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
