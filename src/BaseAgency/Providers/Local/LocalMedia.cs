using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace BaseAgency.Providers.Local;

// The local provider's media: real files from a prompt and a seed, the same bytes for the same inputs.
// Pixels and samples are computed in integer arithmetic (phases are uint angles where 2^32 is a full turn,
// read through one integer sine table) plus IEEE's exactly rounded sqrt, so they do not depend on the
// platform's Math.Sin and friends.
// The PNG's compressed bytes do depend on the zlib that ships with the runtime: the same on one runtime.

/// <summary>A stable hash of a prompt and a seed (string.GetHashCode differs per process), and a small generator fed by it.</summary>
internal struct StableRandom
{
    private ulong _state;

    private StableRandom(ulong state) => _state = state;

    /// <summary>SHA-256 of the seed (8 bytes, little-endian) followed by the text's UTF-8 bytes.</summary>
    public static void Hash(string text, long seed, Span<byte> hash)
    {
        var length = 8 + Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = length <= 1024 ? null : ArrayPool<byte>.Shared.Rent(length);
        var buffer = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        BinaryPrimitives.WriteInt64LittleEndian(buffer, seed);
        var used = 8 + Encoding.UTF8.GetBytes(text, buffer[8..]);
        SHA256.HashData(buffer[..used], hash);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }

    public static StableRandom For(string text, long seed)
    {
        Span<byte> hash = stackalloc byte[32];
        Hash(text, seed, hash);
        return new StableRandom(BinaryPrimitives.ReadUInt64LittleEndian(hash));
    }

    /// <summary>SplitMix64: ours, so the sequence never changes with the runtime (System.Random's seeded one may).</summary>
    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [min, max).</summary>
    public int Between(int min, int max) => min + (int)(Next() % (ulong)(max - min));

    public uint Angle() => (uint)(Next() >> 32);
}

/// <summary>sin over a full turn, 4096 steps, scaled to ±16384. An angle is a uint: 2^32 is one turn.</summary>
internal static class Sine
{
    public const int One = 16384;

    // Rounded to integers, so a last-bit difference in Math.Sin between platforms cannot reach the output.
    private static readonly int[] Table = Enumerable.Range(0, 4096).Select(i => (int)Math.Round(Math.Sin(i * Math.PI / 2048) * One)).ToArray();

    public static int Of(uint angle) => Table[angle >> 20];

    /// <summary>Linearly interpolated between table steps: smooth enough for audio.</summary>
    public static int Smooth(uint angle)
    {
        var a = Table[angle >> 20];
        var b = Table[((angle >> 20) + 1) & 4095];
        return a + (int)(((long)(b - a) * ((angle >> 4) & 0xFFFF)) >> 16);
    }
}

/// <summary>
/// Real PNG files (8-bit RGB, no interlace): a plasma of warped waves and rings over a cosine palette, all
/// chosen by the prompt and seed. The same inputs give the same bytes. Rows are drawn one at a time straight
/// into the compressor, so memory is the compressed file (in pooled blocks, then the result) plus one row.
/// </summary>
public static class Png
{
    public const int MaxSide = 16384;

    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Render(string prompt, long seed, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxSide);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxSide);

        var random = StableRandom.For(prompt, seed);
        var look = Look.Draw(ref random, width, height);
        var stride = 1 + 3 * width;
        var row = ArrayPool<byte>.Shared.Rent(stride);
        using var png = new Blocks();
        try
        {
            png.Write(Signature);
            Span<byte> header = stackalloc byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header, width);
            BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
            header[8] = 8; // bit depth
            header[9] = 2; // colour type: RGB; compression, filter method and interlace stay 0
            WriteChunk(png, "IHDR"u8, header);

            // IDAT: its length and CRC are known only once compressed, so they are filled in at the end.
            var idat = png.Length;
            png.Write("\0\0\0\0IDAT"u8);
            using (var zlib = new ZLibStream(png, CompressionLevel.Fastest, leaveOpen: true))
            {
                for (var y = 0; y < height; y++)
                {
                    row[0] = 0; // filter "none"
                    look.DrawRow(y, row.AsSpan(1, stride - 1));
                    zlib.Write(row, 0, stride);
                }
            }
            var length = png.Length - idat - 8;
            if (length > int.MaxValue - 64) throw new ArgumentOutOfRangeException(nameof(width), "The image is too large for one PNG chunk.");
            png.Write("\0\0\0\0"u8);
            WriteChunk(png, "IEND"u8, []);

            var file = png.ToArray();
            var data = file.AsSpan((int)idat);
            BinaryPrimitives.WriteInt32BigEndian(data, (int)length);
            BinaryPrimitives.WriteUInt32BigEndian(data[(8 + (int)length)..], Crc32.Compute(data.Slice(4, 4 + (int)length)));
            return file;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(row);
        }
    }

    private static void WriteChunk(Blocks png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        png.Write(type);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Append(Crc32.Start, type), data) ^ Crc32.Start);
        png.Write(word);
    }

    /// <summary>
    /// A write-only stream over pooled blocks: the file is assembled there and copied once into an array of
    /// its exact size, rather than grown, doubled and trimmed as a MemoryStream would.
    /// </summary>
    private sealed class Blocks : Stream
    {
        private const int BlockSize = 1 << 20;
        private readonly List<byte[]> _blocks = [];
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                var at = (int)(_length % BlockSize);
                if (at == 0 && _length == (long)_blocks.Count * BlockSize) _blocks.Add(ArrayPool<byte>.Shared.Rent(BlockSize));
                var count = Math.Min(BlockSize - at, buffer.Length);
                buffer[..count].CopyTo(_blocks[^1].AsSpan(at));
                buffer = buffer[count..];
                _length += count;
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void WriteByte(byte value) => Write([value]);
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public byte[] ToArray()
        {
            var result = GC.AllocateUninitializedArray<byte>(checked((int)_length));
            for (var i = 0; i < _blocks.Count; i++)
                _blocks[i].AsSpan(0, (int)Math.Min(BlockSize, _length - (long)i * BlockSize)).CopyTo(result.AsSpan(i * BlockSize));
            return result;
        }

        protected override void Dispose(bool disposing)
        {
            foreach (var block in _blocks) ArrayPool<byte>.Shared.Return(block);
            _blocks.Clear();
            base.Dispose(disposing);
        }
    }

    /// <summary>Everything the prompt and seed decide about the picture; then each pixel is a handful of integer operations.</summary>
    private sealed class Look
    {
        private readonly byte[] _palette = new byte[1024 * 3];
        private int _width;
        private int _step0X, _step0Y, _step1X, _step1Y, _step2X, _step2Y; // angle per pixel of three plane waves
        private uint _offset0, _offset1, _offset2;
        private int _warp1, _warp2, _warpRings; // how far each wave bends the next (angle per sine unit)
        private int _centreX, _centreY;
        private double _ringStep; // angle per pixel of distance from the centre
        private int _cycles; // how many times the palette repeats over the value range

        public static Look Draw(ref StableRandom random, int width, int height)
        {
            var side = Math.Max(width, height); // the same scene at any aspect ratio, cropped rather than stretched
            var look = new Look { _width = width };
            int Step(ref StableRandom r) => (int)(((long)r.Between(-3 * 65536, 3 * 65536 + 1) << 16) / side); // up to 3 turns across
            look._step0X = Step(ref random);
            look._step0Y = Step(ref random);
            look._step1X = Step(ref random);
            look._step1Y = Step(ref random);
            look._step2X = Step(ref random);
            look._step2Y = Step(ref random);
            look._offset0 = random.Angle();
            look._offset1 = random.Angle();
            look._offset2 = random.Angle();
            look._warp1 = random.Between(1 << 15, 1 << 17); // 1/8 to 1/2 turn
            look._warp2 = random.Between(1 << 15, 1 << 17);
            look._warpRings = random.Between(1 << 14, 1 << 16);
            look._centreX = random.Between(0, width);
            look._centreY = random.Between(0, height);
            look._ringStep = random.Between(2 * 256, 6 * 256) * (4294967296.0 / 256) / side; // 2 to 6 rings across
            look._cycles = random.Between(1, 4);

            // A cosine palette per channel: base + amplitude × cos(frequency × t + phase), periodic over its 1024 entries.
            for (var channel = 0; channel < 3; channel++)
            {
                var bias = random.Between(80, 176);
                var amplitude = random.Between(50, Math.Min(bias, 255 - bias) + 1);
                var frequency = (uint)random.Between(1, 3) << 22;
                var phase = random.Angle() + (1u << 30); // cos is sin a quarter turn on
                for (var i = 0; i < 1024; i++)
                    look._palette[i * 3 + channel] = (byte)(bias + amplitude * Sine.Of(phase + (uint)i * frequency) / Sine.One);
            }
            return look;
        }

        public void DrawRow(int y, Span<byte> rgb)
        {
            var palette = _palette;
            var p0 = unchecked((uint)(y * (long)_step0Y) + _offset0);
            var p1 = unchecked((uint)(y * (long)_step1Y) + _offset1);
            var p2 = unchecked((uint)(y * (long)_step2Y) + _offset2);
            var dy = (long)(y - _centreY);
            var dy2 = dy * dy;
            for (int x = 0, i = 0; x < _width; x++, i += 3)
            {
                unchecked
                {
                    var w0 = Sine.Of(p0);
                    var w1 = Sine.Of(p1 + (uint)(w0 * _warp1));
                    var w2 = Sine.Of(p2 + (uint)(w1 * _warp2));
                    var dx = (long)(x - _centreX);
                    var rings = Sine.Of((uint)(long)(Math.Sqrt(dx * dx + dy2) * _ringStep) + (uint)(w2 * _warpRings));
                    var value = w0 + w1 + w2 + rings + 4 * Sine.One; // 0 .. 8 × One
                    var colour = ((value * _cycles) >> 7) & 1023;
                    var shade = 192 + (rings >> 8); // the rings also light and shadow: 128 .. 256
                    rgb[i] = (byte)((palette[colour * 3] * shade) >> 8);
                    rgb[i + 1] = (byte)((palette[colour * 3 + 1] * shade) >> 8);
                    rgb[i + 2] = (byte)((palette[colour * 3 + 2] * shade) >> 8);
                    p0 += (uint)_step0X;
                    p1 += (uint)_step1X;
                    p2 += (uint)_step2X;
                }
            }
        }
    }
}

/// <summary>The CRC-32 PNG chunks carry (the ISO-HDLC polynomial, as zlib's crc32), table-driven, eight bytes at a step.</summary>
internal static class Crc32
{
    public const uint Start = 0xFFFFFFFFu;

    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC of <paramref name="data"/> alone.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(Start, data) ^ Start;

    /// <summary>Continues a running CRC (begin with <see cref="Start"/>, finish by xor with it).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var table = Table;
        while (data.Length >= 8)
        {
            var low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = table[7 * 256 + (low & 0xFF)] ^ table[6 * 256 + ((low >> 8) & 0xFF)] ^
                  table[5 * 256 + ((low >> 16) & 0xFF)] ^ table[4 * 256 + (low >> 24)] ^
                  table[3 * 256 + (high & 0xFF)] ^ table[2 * 256 + ((high >> 8) & 0xFF)] ^
                  table[1 * 256 + ((high >> 16) & 0xFF)] ^ table[high >> 24];
            data = data[8..];
        }
        foreach (var b in data) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        for (var n = 0; n < 256; n++)
        for (var slice = 1; slice < 8; slice++)
            table[slice * 256 + n] = (table[(slice - 1) * 256 + n] >> 8) ^ table[table[(slice - 1) * 256 + n] & 0xFF];
        return table;
    }
}

/// <summary>
/// Real WAV files (RIFF/WAVE, PCM 16-bit, mono) of exactly round(seconds × sampleRate) samples: a melody with
/// one note per word of the text (pitch from the word, length from its letters) in a key and tempo the text
/// and seed choose, repeated to fill the time. Each note fades in and out, and so does the whole file: no clicks.
/// </summary>
public static class Wav
{
    public const int HeaderSize = 44;

    private const int MaxNotes = 64;

    // Equal-tempered semitone ratios as constants, so a note's frequency is the same on every platform.
    private static readonly double[] Semitones =
    [
        1.0, 1.0594630943592953, 1.122462048309373, 1.189207115002721, 1.2599210498948732, 1.3348398541700344,
        1.4142135623730951, 1.4983070768766815, 1.5874010519681994, 1.681792830507429, 1.7817974362806785, 1.8877486253633868,
    ];

    private static readonly int[] Major = [0, 2, 4, 7, 9];
    private static readonly int[] Minor = [0, 3, 5, 7, 10];

    public static byte[] Render(string text, long seed, double seconds, int sampleRate = 22050)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 8000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRate, 192000);
        if (!double.IsFinite(seconds) || seconds < 0) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "Seconds must be a finite number, zero or more.");
        var samples = Math.Round(seconds * sampleRate);
        if (samples > (int.MaxValue - HeaderSize) / 2) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "Too long for a WAV file.");
        var count = (int)samples;

        var wav = new byte[HeaderSize + count * 2];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], wav.Length - 8);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16); // fmt chunk size
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * 2); // bytes per second
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2); // bytes per sample frame
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16); // bits per sample
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], count * 2);
        if (count == 0) return wav;

        // The tune: a key, a scale, a tempo; then a pitch and a length per word.
        var random = StableRandom.For(text, seed);
        var root = random.Between(50, 63); // D3 .. D4, as MIDI note numbers: the tune stays below about 1.2 kHz
        var scale = random.Between(0, 2) == 0 ? Major : Minor;
        var eighth = sampleRate * 30 / random.Between(100, 151); // an eighth note at 100–150 beats a minute
        var rotation = random.Between(0, 2 * scale.Length);
        Span<uint> steps = stackalloc uint[MaxNotes + 1]; // phase increments per sample (0: a rest)
        Span<int> lengths = stackalloc int[MaxNotes + 1]; // in samples
        var notes = 0;
        foreach (var (hash, letters) in Words(text))
        {
            if (notes == MaxNotes) break;
            var degree = (int)((hash + (uint)rotation) % (uint)(2 * scale.Length)); // across two octaves
            steps[notes] = Step(root + 12 * (degree / scale.Length) + scale[degree % scale.Length], sampleRate);
            lengths[notes] = eighth * (letters <= 3 ? 1 : letters <= 6 ? 2 : 3);
            notes++;
        }
        if (notes == 0) // no words: a little arpeggio
            for (; notes < 4; notes++) (steps[notes], lengths[notes]) = (Step(root + scale[2 * notes % scale.Length], sampleRate), 2 * eighth);
        steps[notes] = 0; // a rest before the tune comes round again
        lengths[notes] = 2 * eighth;
        notes++;

        var attack = Math.Max(1, sampleRate / 200); // 5 ms
        var release = Math.Max(1, sampleRate / 40); // 25 ms
        var fade = Math.Max(1, Math.Min(count / 2, sampleRate / 50)); // 20 ms at each end of the file
        var data = span[HeaderSize..];
        int note = 0, at = 0;
        var phase = 0u;
        for (var i = 0; i < count; i++, at++)
        {
            if (at == lengths[note])
            {
                note = (note + 1) % notes;
                at = 0;
                phase = 0;
            }
            var step = steps[note];
            if (step == 0) continue; // a rest: the array is already silence
            unchecked
            {
                // A warm tone: the fundamental with a little of the second and third harmonics (±16384 in all).
                var tone = (Sine.Smooth(phase) * 6 + Sine.Smooth(phase * 2) * 2 + Sine.Smooth(phase * 3)) / 9;
                phase += step;
                var length = lengths[note];
                var envelope = Math.Min(Math.Min(at * 32768L / attack, (length - at) * 32768L / release), 32768L); // 0 .. 1 in Q15
                envelope = envelope * (32768 - 9830L * at / length) >> 15; // and a gentle decay to 70 %
                var edge = Math.Min(i, count - 1 - i);
                if (edge < fade) envelope = envelope * edge / fade;
                var value = (tone * envelope >> 15) * 19 >> 4; // at most about 60 % of full scale
                BinaryPrimitives.WriteInt16LittleEndian(data[(i * 2)..], (short)value);
            }
        }
        return wav;
    }

    /// <summary>The phase increment per sample of a MIDI note: 2^32 is one cycle.</summary>
    private static uint Step(int midi, int sampleRate)
    {
        var octave = Math.DivRem(midi - 69, 12, out var semitone);
        if (semitone < 0) (octave, semitone) = (octave - 1, semitone + 12);
        var frequency = 440.0 * Semitones[semitone] * Math.ScaleB(1.0, octave); // exact powers of two
        return (uint)(frequency * 4294967296.0 / sampleRate);
    }

    /// <summary>Each run of letters or digits: a stable hash (FNV-1a of its lower-case characters) and its length.</summary>
    private static IEnumerable<(uint Hash, int Letters)> Words(string text)
    {
        var hash = 2166136261u;
        var letters = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                hash = unchecked((hash ^ char.ToLowerInvariant(text[i])) * 16777619u);
                letters++;
            }
            else if (letters > 0)
            {
                yield return (hash, letters);
                (hash, letters) = (2166136261u, 0);
            }
        }
    }
}

/// <summary>
/// Deterministic English about a prompt. Tokens are counted as the pricing estimates them
/// (<see cref="Estimates.Tokens"/>: four characters a token, rounded up), so the text is at most
/// 4 × maxTokens characters; it stops at the last whole sentence that fits, or cuts at a word when the
/// first sentence does not.
/// </summary>
public static class LocalText
{
    /// <summary>More than any plan allows; beyond it a request gets this many.</summary>
    public const int MaxTokens = 16000;

    private static readonly string[] Openings =
    [
        "Here is a take on \"{0}\".", "A few thoughts on \"{0}\".", "On \"{0}\", briefly.", "Notes on \"{0}\".",
        "Let us look at \"{0}\" from the start.",
    ];

    private static readonly string[] Sentences =
    [
        "The heart of {0} is one clear idea, said plainly.",
        "People remember how {0} makes them feel long after they forget the words.",
        "Every line about {0} should earn its place.",
        "A small surprise keeps attention where it belongs.",
        "Contrast gives {0} its energy: light against shade, quiet against loud.",
        "The rhythm matters as much as the words themselves.",
        "Start with what the audience already knows, then take one step further.",
        "Concrete details make {0} believable.",
        "Say less, and let the important part stand alone.",
        "A good image of {0} is worth a paragraph of adjectives.",
        "Read it aloud once; whatever trips the tongue can go.",
        "The best version of {0} sounds obvious only after someone has said it.",
        "Promise something, then keep the promise.",
        "Warmth travels further than cleverness.",
        "If {0} were a single sentence, it would end on a strong word.",
        "Leave room for the reader to finish the thought.",
    ];

    public static (string Text, int TokensInput, int TokensOutput) Write(string prompt, long seed, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        var limit = 4 * Math.Min(maxTokens, MaxTokens); // characters, by the four-characters-a-token rule
        var random = StableRandom.For(prompt, seed);

        var quoted = string.Join(' ', prompt.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (quoted.Length == 0) quoted = "this brief";
        var topic = Topic(quoted);

        var text = new StringBuilder(Math.Min(limit, 4096));
        var first = string.Format(Openings[random.Between(0, Openings.Length)], quoted);
        if (first.Length > limit) text.Append(CutAtWord(first, limit));
        else
        {
            text.Append(first);
            var last = -1;
            for (var inParagraph = 0; ; inParagraph++)
            {
                var pick = random.Between(0, last < 0 ? Sentences.Length : Sentences.Length - 1);
                if (last >= 0 && pick >= last) pick++; // never the same sentence twice running
                last = pick;
                var breakHere = inParagraph >= 3 && random.Between(0, 3) == 0;
                var sentence = string.Format(Sentences[pick], topic);
                if (text.Length + (breakHere ? 2 : 1) + sentence.Length > limit) break;
                text.Append(breakHere ? "\n\n" : " ").Append(sentence);
                if (breakHere) inParagraph = 0;
            }
        }
        var result = text.ToString();
        return (result, Estimates.Tokens(prompt), Estimates.Tokens(result));
    }

    /// <summary>What the sentences call the subject: the prompt itself when short, else its first words.</summary>
    private static string Topic(string quoted)
    {
        if (quoted.Length <= 40) return $"\"{quoted}\"";
        var cut = CutAtWord(quoted, 40);
        return $"\"{cut}…\"";
    }

    private static string CutAtWord(string text, int limit)
    {
        if (text.Length <= limit) return text;
        var space = text.LastIndexOf(' ', limit);
        var end = space > 0 ? space : limit;
        if (char.IsHighSurrogate(text[end - 1])) end--; // never half a character
        return text[..end];
    }
}
