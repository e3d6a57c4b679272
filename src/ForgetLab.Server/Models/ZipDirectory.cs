using System.Buffers.Binary;
using ForgetLab.Contracts.Common;
using ForgetLab.Server.Uploads;

namespace ForgetLab.Server.Models;

/// <summary>
/// A zip's end-of-central-directory record (and its zip64 form), read before the directory itself:
/// the entry count and the directory's size are checked first, because a reader of the directory
/// builds an object per entry, and a 1 GiB upload can claim millions of them.
/// </summary>
public static class ZipDirectory
{
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint EntrySignature = 0x02014b50;
    private const int EndBytes = 22;
    private const int EntryBytes = 46;

    /// <summary>Null when the directory is within the limits (the zip reader then checks the rest), else why not.</summary>
    public static FieldError? Problem(Stream zip, ArchiveLimits limits)
    {
        if (zip.Length < EndBytes) return NotAZip("too short to hold a zip directory");
        // The record is the last 22 bytes, or ends in a comment of up to 65,535 bytes.
        var tail = new byte[(int)Math.Min(zip.Length, EndBytes + ushort.MaxValue)];
        zip.Seek(-tail.Length, SeekOrigin.End);
        zip.ReadExactly(tail);
        var at = -1;
        for (var i = tail.Length - EndBytes; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndSignature) { at = i; break; }
        }
        if (at < 0) return NotAZip("no end-of-directory record");
        long entries = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
        long directoryBytes = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 12));
        long directoryStart = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 16));
        if ((entries == ushort.MaxValue || directoryBytes == uint.MaxValue) && at >= 20
            && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at - 20)) == Zip64LocatorSignature)
        {
            var zip64End = (long)BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(at - 20 + 8));
            if (zip64End < 0 || zip64End > zip.Length - 56) return NotAZip("its zip64 end-of-directory record lies outside the file");
            var record = new byte[56];
            zip.Seek(zip64End, SeekOrigin.Begin);
            zip.ReadExactly(record);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature) return NotAZip("its zip64 end-of-directory record is missing");
            var entries64 = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
            var bytes64 = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(40));
            var start64 = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48));
            entries = entries64 > int.MaxValue ? long.MaxValue : (long)entries64;
            directoryBytes = bytes64 > long.MaxValue ? long.MaxValue : (long)bytes64;
            directoryStart = start64 > long.MaxValue ? long.MaxValue : (long)start64;
        }
        if (entries > limits.MaxEntries)
            return new FieldError(0, "", $"the zip holds {entries} entries, more than the {limits.MaxEntries} {limits.Upload} may have");
        if (directoryBytes > limits.MaxDirectoryBytes)
            return new FieldError(0, "", $"the zip's directory is {directoryBytes} bytes, more than the {limits.MaxDirectoryBytes} allowed");
        var problem = CountEntries(zip, directoryStart, limits);
        zip.Position = 0;
        return problem;
    }

    /// <summary>
    /// Walks the directory's records as a zip reader does (it reads records for as long as their
    /// signature follows, whatever the end record claimed), bounded by the limits, so a short end
    /// record in front of a directory of millions of entries is refused here.
    /// </summary>
    private static FieldError? CountEntries(Stream zip, long start, ArchiveLimits limits)
    {
        if (start < 0 || start > zip.Length) return NotAZip("its directory lies outside the file");
        zip.Position = start;
        var header = new byte[EntryBytes];
        long walked = 0;
        for (var count = 0; ; count++)
        {
            if (zip.Length - zip.Position < EntryBytes) return null;
            zip.ReadExactly(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != EntrySignature) return null;
            if (count == limits.MaxEntries)
                return new FieldError(0, "", $"the zip's directory holds more than the {limits.MaxEntries} entries {limits.Upload} may have");
            var variable = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28)) + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(30))
                + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(32));
            walked += EntryBytes + variable;
            if (walked > limits.MaxDirectoryBytes)
                return new FieldError(0, "", $"the zip's directory is more than the {limits.MaxDirectoryBytes} bytes allowed");
            zip.Seek(variable, SeekOrigin.Current);
        }
    }

    private static FieldError NotAZip(string why) => new(0, "", $"not a zip file: {why}");
}
