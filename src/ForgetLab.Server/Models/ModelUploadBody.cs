using ForgetLab.Contracts.Common;
using ForgetLab.Server.Uploads;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ForgetLab.Server.Models;

/// <summary>
/// The zip in a model upload's body — <c>application/zip</c>, or the file of a
/// <c>multipart/form-data</c> form (with its <c>name</c> field) — spooled to a temporary file that is
/// deleted when this is disposed. A zip's directory is at its end, so it cannot be read from the
/// request as it streams; the spool is bounded by <see cref="ArchiveLimits.MaxUploadBytes"/> and is the
/// only copy the server keeps of it. The form is read section by section, never buffered whole.
/// </summary>
public sealed class ModelUploadBody : IAsyncDisposable
{
    private const int MaxNameBytes = 256;

    private ModelUploadBody(FileStream? zip, string? name, string? baseModel = null)
    {
        Zip = zip;
        Name = name;
        Base = baseModel;
    }

    /// <summary>The spooled zip, positioned at its start; null when the form had no file.</summary>
    public FileStream? Zip { get; }

    /// <summary>The form's <c>name</c> field, when it has one.</summary>
    public string? Name { get; }

    /// <summary>The form's <c>base</c> field (the registered base a PEFT adapter goes on), when it has one.</summary>
    public string? Base { get; }

    public static async Task<(ModelUploadBody? Body, FieldError? Error)> Read(HttpRequest request, ArchiveLimits limits, CancellationToken cancel)
    {
        if (request.ContentLength > limits.MaxUploadBytes) return (null, TooLarge(limits));
        if (!request.HasFormContentType)
        {
            var (zip, error) = await Spool(request.Body, limits, cancel);
            return error is null ? (new ModelUploadBody(zip, null), null) : (null, error);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 70 } boundary)
            return (null, new FieldError(0, "", "a multipart form needs a boundary of 1-70 characters"));
        if (!type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return (null, new FieldError(0, "", "send the zip as application/zip, or as the file of a multipart/form-data form"));
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = limits.MaxUploadBytes };
        FileStream? file = null;
        string? name = null;
        string? baseModel = null;
        try
        {
            while (await reader.ReadNextSectionAsync(cancel) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                if (disposition.IsFileDisposition())
                {
                    if (file is not null) return (Fail(file), new FieldError(0, "file", "the form holds more than one file: attach one zip of the model folder"));
                    var (spooled, error) = await Spool(section.Body, limits, cancel);
                    if (error is not null) return (null, error);
                    file = spooled;
                }
                else if (HeaderUtilities.RemoveQuotes(disposition.Name).Value is "name" or "base" && HeaderUtilities.RemoveQuotes(disposition.Name).Value is { } field)
                {
                    var buffer = new byte[MaxNameBytes + 1];
                    var read = await section.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancel);
                    if (read > MaxNameBytes) return (Fail(file), new FieldError(0, field, $"longer than {MaxNameBytes} bytes"));
                    if (field == "name") name = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
                    else baseModel = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
                }
                // Other fields are read past (the reader drains them) and left out.
            }
        }
        catch (InvalidDataException e)
        {
            return (Fail(file), new FieldError(0, "", $"not a well-formed multipart form: {e.Message}"));
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            return (Fail(file), new FieldError(0, "", $"the form could not be read to its end: {e.Message}"));
        }
        return (new ModelUploadBody(file, name, baseModel), null);
    }

    public async ValueTask DisposeAsync()
    {
        if (Zip is not null) await Zip.DisposeAsync();
    }

    /// <summary>Copies at most <see cref="ArchiveLimits.MaxUploadBytes"/> to a temporary file that deletes itself when closed.</summary>
    private static async Task<(FileStream? Zip, FieldError? Error)> Spool(Stream body, ArchiveLimits limits, CancellationToken cancel)
    {
        var spool = new FileStream(Path.Combine(Path.GetTempPath(), $"forgetlab-upload-{Guid.NewGuid():N}.zip"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var buffer = new byte[1 << 16];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancel)) > 0)
            {
                total += read;
                if (total > limits.MaxUploadBytes)
                {
                    await spool.DisposeAsync();
                    return (null, TooLarge(limits));
                }
                await spool.WriteAsync(buffer.AsMemory(0, read), cancel);
            }
            spool.Position = 0;
            return (spool, null);
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }

    private static ModelUploadBody? Fail(FileStream? file)
    {
        file?.Dispose();
        return null;
    }

    private static FieldError TooLarge(ArchiveLimits limits) => new(0, "", $"the upload is larger than {limits.MaxUploadBytes} bytes");
}
