using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace BaseAgency.Providers.Local;

/// <summary>A stable 64-bit seed from a prompt and a number (string.GetHashCode differs per process).</summary>
internal static class StableSeed
{
    public static ulong Of(string text, long seed) =>
        BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{text}")));
}

/// <summary>Real PNG files (8-bit RGB) drawn from a prompt and a seed: the same inputs give the same bytes.</summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Render(string prompt, long seed, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var palette = new Random(unchecked((int)StableSeed.Of(prompt, seed)));
        // A soft field of three coloured light sources over a two-colour gradient.
        var (r0, g0, b0) = (palette.Next(256), palette.Next(256), palette.Next(256));
        var (r1, g1, b1) = (palette.Next(256), palette.Next(256), palette.Next(256));
        var lights = Enumerable.Range(0, 3).Select(_ => (X: palette.NextDouble(), Y: palette.NextDouble(),
            R: palette.Next(256), G: palette.Next(256), B: palette.Next(256), Size: 0.15 + palette.NextDouble() * 0.35)).ToArray();

        var stride = 1 + width * 3;
        var raw = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var row = y * stride; // filter byte 0 (none) at raw[row]
            var v = height == 1 ? 0 : (double)y / (height - 1);
            for (var x = 0; x < width; x++)
            {
                var u = width == 1 ? 0 : (double)x / (width - 1);
                var t = (u + v) / 2;
                double r = r0 + (r1 - r0) * t, g = g0 + (g1 - g0) * t, b = b0 + (b1 - b0) * t;
                foreach (var light in lights)
                {
                    var dx = u - light.X;
                    var dy = v - light.Y;
                    var glow = Math.Exp(-(dx * dx + dy * dy) / (light.Size * light.Size));
                    r += (light.R - r) * glow;
                    g += (light.G - g) * glow;
                    b += (light.B - b) * glow;
                }
                var i = row + 1 + x * 3;
                raw[i] = (byte)r;
                raw[i + 1] = (byte)g;
                raw[i + 2] = (byte)b;
            }
        }

        using var png = new MemoryStream();
        png.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        WriteChunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) zlib.Write(raw);
            WriteChunk(png, "IDAT", compressed.ToArray());
        }
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Of(typeBytes, data));
        png.Write(word);
    }
}

/// <summary>The CRC-32 PNG chunks carry (ISO-HDLC polynomial, as zlib's crc32).</summary>
public static class Crc32
{
    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    public static uint Of(params ReadOnlySpan<byte[]> parts)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var part in parts)
        foreach (var b in part)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }
}

/// <summary>Real WAV files (PCM, 16-bit, mono): a short melody from the text, of exactly the asked length.</summary>
public static class Wav
{
    public static byte[] Render(string text, long seed, double seconds, int sampleRate = 22050)
    {
        var samples = (int)Math.Round(seconds * sampleRate);
        var notes = new Random(unchecked((int)StableSeed.Of(text, seed)));
        double[] scale = [261.63, 293.66, 329.63, 392.00, 440.00, 523.25]; // a pentatonic-ish C scale
        var noteLength = sampleRate / 4; // a quarter of a second per note
        var fade = Math.Min(noteLength / 10, 400);

        var wav = new byte[44 + samples * 2];
        var span = wav.AsSpan();
        Encoding.ASCII.GetBytes("RIFF").CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + samples * 2);
        Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16); // fmt chunk size
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * 2); // byte rate
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2); // block align
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16); // bits per sample
        Encoding.ASCII.GetBytes("data").CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], samples * 2);

        var frequency = scale[0];
        for (var i = 0; i < samples; i++)
        {
            var inNote = i % noteLength;
            if (inNote == 0) frequency = scale[notes.Next(scale.Length)];
            var envelope = Math.Min(1, Math.Min(inNote, noteLength - inNote) / (double)fade); // no clicks between notes
            var value = Math.Sin(2 * Math.PI * frequency * i / sampleRate) * 0.3 * envelope;
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + i * 2)..], (short)(value * short.MaxValue));
        }
        return wav;
    }
}

/// <summary>Deterministic text about a prompt. A token is counted as one word, which is never fewer than real tokenizers count.</summary>
public static class LocalText
{
    private static readonly string[] Openings =
        ["Here is a take on", "Consider this about", "A short piece on", "Thinking about", "Notes on"];
    private static readonly string[] Phrases =
    [
        "it starts with a clear idea", "the details make it memorable", "simple words carry it far",
        "the audience remembers how it feels", "every line earns its place", "contrast gives it energy",
        "a small surprise keeps attention", "the rhythm matters as much as the words", "it ends on a promise",
    ];

    public static (string Text, int TokensInput, int TokensOutput) Write(string prompt, long seed, int maxTokens)
    {
        var random = new Random(unchecked((int)StableSeed.Of(prompt, seed)));
        var words = new List<string>();
        words.AddRange($"{Openings[random.Next(Openings.Length)]} \"{prompt.Trim()}\":".Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var target = Math.Clamp(maxTokens, 1, 4000);
        while (words.Count < Math.Min(target, 60 + random.Next(60)))
            words.AddRange((Phrases[random.Next(Phrases.Length)] + ".").Split(' '));
        var text = string.Join(' ', words.Take(target));
        return (text, Math.Max(1, prompt.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length), Math.Min(words.Count, target));
    }
}
