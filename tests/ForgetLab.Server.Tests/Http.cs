using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ForgetLab.Server.Tests;

/// <summary>HTTP helpers that honour the test's cancellation: send a spec, read a JSON answer with its status.</summary>
internal static class Http
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> SubmitYaml(this HttpClient client, string yaml) =>
        client.PostAsync("api/v1/experiments", new StringContent(yaml, Encoding.UTF8, "text/yaml"), Cancel);

    public static Task<HttpResponseMessage> Get(this HttpClient client, string path) => client.GetAsync(path, Cancel);

    public static Task<HttpResponseMessage> Delete(this HttpClient client, string path) => client.DeleteAsync(path, Cancel);

    public static Task<HttpResponseMessage> Post(this HttpClient client, string path, HttpContent? content = null) =>
        client.PostAsync(path, content, Cancel);

    public static Task<HttpResponseMessage> PostJson<T>(this HttpClient client, string path, T value) =>
        client.PostAsJsonAsync(path, value, Cancel);

    public static Task<HttpResponseMessage> PutJson<T>(this HttpClient client, string path, T value) =>
        client.PutAsJsonAsync(path, value, Cancel);

    public static Task<HttpResponseMessage> SendRequest(this HttpClient client, HttpRequestMessage request) => client.SendAsync(request, Cancel);

    public static async Task<(HttpStatusCode Status, JsonNode? Body)> Json(this Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync(Cancel);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task<(HttpStatusCode Status, string Body)> Text(this Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancel));
    }
}
