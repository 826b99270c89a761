using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using BaseAgency.Providers;
using BaseAgency.Providers.Local;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BaseAgency.Tests.Providers;

/// <summary>The local provider's files are real: a PNG decoder and a WAV reader would accept them.</summary>
public sealed class LocalMediaTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(3, 7)]
    [InlineData(512, 288)]
    public void A_png_has_valid_chunks_the_right_size_and_all_its_pixels(int width, int height)
    {
        var png = Png.Render("a lighthouse", 7, width, height);

        png[..8].ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var chunks = Chunks(png);
        chunks.Select(c => c.Type).ShouldBe(["IHDR", "IDAT", "IEND"]);
        foreach (var chunk in chunks) chunk.CrcOk.ShouldBeTrue($"{chunk.Type} CRC");

        var header = chunks[0].Data;
        header.Length.ShouldBe(13);
        BinaryPrimitives.ReadInt32BigEndian(header).ShouldBe(width);
        BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)).ShouldBe(height);
        header[8..].ShouldBe(new byte[] { 8, 2, 0, 0, 0 }); // 8 bits, RGB, deflate, adaptive filtering, no interlace
        chunks[2].Data.ShouldBeEmpty();

        var raw = Inflate(chunks[1].Data);
        raw.Length.ShouldBe(height * (1 + 3 * width));
        Enumerable.Range(0, height).ShouldAllBe(row => raw[row * (1 + 3 * width)] == 0); // filter "none" on every row
    }

    [Fact]
    public void The_chunk_crc_is_the_standard_one()
    {
        var iend = Png.Render("x", 1, 1, 1)[^12..];
        iend.ShouldBe(new byte[] { 0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82 }); // as in every PNG
    }

    [Fact]
    public void The_same_prompt_and_seed_draw_the_same_picture_and_another_seed_or_prompt_another()
    {
        Png.Render("a lighthouse", 7, 64, 64).ShouldBe(Png.Render("a lighthouse", 7, 64, 64));
        Png.Render("a lighthouse", 8, 64, 64).ShouldNotBe(Png.Render("a lighthouse", 7, 64, 64));
        Png.Render("a harbour", 7, 64, 64).ShouldNotBe(Png.Render("a lighthouse", 7, 64, 64));
    }

    [Fact]
    public void A_picture_is_not_a_flat_colour()
    {
        var raw = Inflate(Chunks(Png.Render("a lighthouse", 7, 64, 64))[1].Data);
        var colours = new HashSet<int>();
        for (var row = 0; row < 64; row++)
        for (var x = 0; x < 64; x++)
        {
            var at = row * (1 + 3 * 64) + 1 + 3 * x;
            colours.Add(raw[at] << 16 | raw[at + 1] << 8 | raw[at + 2]);
        }
        colours.Count.ShouldBeGreaterThan(200);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(Png.MaxSide + 1, 10)]
    public void A_png_of_an_impossible_size_is_refused(int width, int height) =>
        Should.Throw<ArgumentOutOfRangeException>(() => Png.Render("x", 1, width, height));

    [Fact]
    public void A_wav_is_16_bit_mono_pcm_with_consistent_sizes()
    {
        var wav = Wav.Render("hello there", 1, 2.5, sampleRate: 22050);

        Encoding.ASCII.GetString(wav, 0, 4).ShouldBe("RIFF");
        BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(4)).ShouldBe(wav.Length - 8);
        Encoding.ASCII.GetString(wav, 8, 8).ShouldBe("WAVEfmt ");
        BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(16)).ShouldBe(16); // fmt chunk size
        BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(20)).ShouldBe((short)1); // PCM
        BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)).ShouldBe((short)1); // mono
        BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)).ShouldBe(22050);
        BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(28)).ShouldBe(44100); // bytes a second
        BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(32)).ShouldBe((short)2); // bytes a frame
        BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34)).ShouldBe((short)16);
        Encoding.ASCII.GetString(wav, 36, 4).ShouldBe("data");
        BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40)).ShouldBe(55125 * 2); // 2.5 s × 22050 samples × 2 bytes
        wav.Length.ShouldBe(44 + 55125 * 2);
    }

    [Theory]
    [InlineData(2.5, 22050, 55125)]
    [InlineData(1.0 / 3, 22050, 7350)]
    [InlineData(1.00002, 44100, 44101)] // 44100.88 rounds up
    [InlineData(0.7, 8000, 5600)]
    [InlineData(0, 22050, 0)]
    public void A_wav_holds_exactly_the_rounded_number_of_samples(double seconds, int sampleRate, int samples)
    {
        var wav = Wav.Render("count me", 1, seconds, sampleRate);
        BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40)).ShouldBe(samples * 2);
        wav.Length.ShouldBe(44 + samples * 2);
    }

    [Fact]
    public void A_wav_is_audible_does_not_clip_fades_at_both_ends_and_is_deterministic()
    {
        var wav = Wav.Render("hello there, general audience", 1, 3, sampleRate: 22050);
        var samples = Samples(wav);

        samples.Max(s => Math.Abs((int)s)).ShouldBeInRange(8000, 30000);
        samples[0].ShouldBe((short)0);
        samples[^1].ShouldBe((short)0);
        samples[..20].Max(s => Math.Abs((int)s)).ShouldBeLessThan(2000); // fades in and out: no click at either end
        samples[^20..].Max(s => Math.Abs((int)s)).ShouldBeLessThan(2000);

        Wav.Render("hello there, general audience", 1, 3).ShouldBe(wav);
        Wav.Render("hello there, general audience", 2, 3).ShouldNotBe(wav);
        Wav.Render("goodbye now", 1, 3).ShouldNotBe(wav);
    }

    [Fact]
    public void A_wav_of_no_words_still_plays_a_tune()
    {
        Samples(Wav.Render("", 1, 2)).ShouldContain(s => s != 0);
        Samples(Wav.Render("!!! ???", 1, 2)).ShouldContain(s => s != 0);
    }

    [Fact]
    public void Text_is_deterministic_mentions_the_prompt_and_counts_tokens_as_pricing_does()
    {
        var (text, tokensIn, tokensOut) = LocalText.Write("a bakery tagline", 3, 60);

        text.ShouldContain("a bakery tagline");
        tokensIn.ShouldBe(Estimates.Tokens("a bakery tagline"));
        tokensOut.ShouldBe(Estimates.Tokens(text));
        tokensOut.ShouldBeLessThanOrEqualTo(60);
        LocalText.Write("a bakery tagline", 3, 60).ShouldBe((text, tokensIn, tokensOut));
        LocalText.Write("a bakery tagline", 4, 60).Text.ShouldNotBe(text);
    }

    [Fact]
    public void Text_never_exceeds_max_tokens_and_comes_close_to_it()
    {
        for (var maxTokens = 1; maxTokens <= 300; maxTokens++)
        {
            var (text, _, tokens) = LocalText.Write("a slogan for a bicycle shop in a rainy city", maxTokens, maxTokens);
            tokens.ShouldBeLessThanOrEqualTo(maxTokens);
            text.Length.ShouldBeLessThanOrEqualTo(4 * maxTokens);
            text.ShouldNotBeNullOrWhiteSpace();
            if (maxTokens >= 40) tokens.ShouldBeGreaterThan(maxTokens - 35); // stops at the last whole sentence that fits
        }
        LocalText.Write("x", 1, 4000).TokensOutput.ShouldBeInRange(3950, 4000);
    }

    [Fact]
    public void Text_about_a_long_or_empty_prompt_reads_well()
    {
        var longPrompt = string.Join(' ', Enumerable.Repeat("words that go on", 100));
        var (text, _, _) = LocalText.Write(longPrompt, 1, 2000);
        text.ShouldContain(longPrompt);
        text.ShouldContain("\"words that go on words that go on words…\"");

        LocalText.Write("  ", 1, 50).Text.ShouldContain("this brief");
        LocalText.Write("tiny", 1, 1).Text.Length.ShouldBeInRange(1, 4);
    }

    [Fact]
    public async Task The_provider_makes_a_png_of_the_asked_size()
    {
        var (provider, progress) = (NewProvider(), new List<int>());

        var result = await provider.GenerateAsync(NewRequest(GenerationType.Image, width: 32, height: 16), NewAttempt(progress), default);

        var file = result.Files.ShouldHaveSingleItem();
        (file.ContentType, file.Extension, file.Width, file.Height).ShouldBe(("image/png", "png", 32, 16));
        BinaryPrimitives.ReadInt32BigEndian(file.Content.AsSpan(16)).ShouldBe(32);
        result.CostUsd.ShouldBe(0);
        result.ProviderRequestId.ShouldNotBeNull().ShouldMatch("^local-[0-9a-f]{12}$");
        progress.ShouldBe([10, 50, 90]);
    }

    [Fact]
    public async Task The_provider_makes_1024_square_images_by_default_and_the_same_bytes_for_the_same_request()
    {
        var request = NewRequest(GenerationType.Image);

        var first = await NewProvider().GenerateAsync(request, NewAttempt(), default);
        var again = await NewProvider().GenerateAsync(request, NewAttempt(), default);

        (first.Files[0].Width, first.Files[0].Height).ShouldBe((1024, 1024));
        again.Files[0].Content.ShouldBe(first.Files[0].Content);
        again.ProviderRequestId.ShouldBe(first.ProviderRequestId);
    }

    [Fact]
    public async Task The_provider_refuses_an_impossible_image_size_for_good()
    {
        var e = await Should.ThrowAsync<ProviderException>(() =>
            NewProvider().GenerateAsync(NewRequest(GenerationType.Image, width: 0, height: 10), NewAttempt(), default));
        (e.Kind, e.Code).ShouldBe((ProviderFailureKind.Permanent, "invalid_request"));
    }

    [Fact]
    public async Task The_provider_makes_a_wav_of_the_asked_duration_or_of_the_spoken_text()
    {
        var asked = await NewProvider().GenerateAsync(NewRequest(GenerationType.Audio, duration: 1.5), NewAttempt(), default);
        var file = asked.Files.ShouldHaveSingleItem();
        (file.ContentType, file.Extension, file.DurationSeconds).ShouldBe(("audio/wav", "wav", 1.5));
        BinaryPrimitives.ReadInt32LittleEndian(file.Content.AsSpan(40)).ShouldBe((int)Math.Round(1.5 * 22050) * 2);

        var words = string.Join(' ', Enumerable.Repeat("word", 30)); // 30 words at 150 a minute: 12 s
        (await NewProvider().GenerateAsync(NewRequest(GenerationType.Audio, prompt: words), NewAttempt(), default))
            .Files[0].DurationSeconds.ShouldBe(12);
        (await NewProvider().GenerateAsync(NewRequest(GenerationType.Audio, prompt: "hi"), NewAttempt(), default))
            .Files[0].DurationSeconds.ShouldBe(1); // at least a second
        (await NewProvider().GenerateAsync(NewRequest(GenerationType.Audio, duration: 3600), NewAttempt(), default))
            .Files[0].DurationSeconds.ShouldBe(600); // at most ten minutes
    }

    [Fact]
    public async Task The_provider_writes_text_within_max_tokens_and_no_file()
    {
        var result = await NewProvider().GenerateAsync(NewRequest(GenerationType.Text, prompt: "write a haiku", maxTokens: 30), NewAttempt(), default);

        result.Files.ShouldBeEmpty();
        result.Text.ShouldNotBeNullOrWhiteSpace();
        result.Text.ShouldContain("write a haiku");
        result.TokensInput.ShouldBe(Estimates.Tokens("write a haiku"));
        result.TokensOutput.ShouldBeInRange(1, 30);
    }

    [Fact]
    public async Task The_provider_refuses_video_for_good()
    {
        var e = await Should.ThrowAsync<ProviderException>(() =>
            NewProvider().GenerateAsync(NewRequest(GenerationType.Video), NewAttempt(), default));
        (e.Kind, e.Code).ShouldBe((ProviderFailureKind.Permanent, "unsupported_type"));
    }

    [Fact]
    public async Task The_provider_waits_its_latency_on_the_clock_it_is_given()
    {
        var clock = new FakeTimeProvider();
        var progress = new List<int>();
        var provider = NewProvider(TimeSpan.FromSeconds(10), clock);

        var running = provider.GenerateAsync(NewRequest(GenerationType.Text), NewAttempt(progress), default);
        var seconds = 0;
        for (; !running.IsCompleted && seconds < 60; seconds++)
        {
            clock.Advance(TimeSpan.FromSeconds(1)); // fires only the timers already waiting
            await Task.Delay(20);
        }

        (await running).Text.ShouldNotBeNull();
        seconds.ShouldBeInRange(10, 20);
        progress.ShouldBe([10, 50, 90]);
    }

    [Fact]
    public async Task The_provider_stops_when_canceled()
    {
        var provider = NewProvider(TimeSpan.FromMinutes(1), new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();

        var running = provider.GenerateAsync(NewRequest(GenerationType.Image), NewAttempt(), cancel.Token);
        running.IsCompleted.ShouldBeFalse();
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => running);
        await Should.ThrowAsync<OperationCanceledException>(() => NewProvider().GenerateAsync(NewRequest(GenerationType.Audio), NewAttempt(), cancel.Token));
    }

    private static LocalProvider NewProvider(TimeSpan? latency = null, TimeProvider? clock = null) =>
        new(Options.Create(new LocalProviderOptions { Latency = latency ?? TimeSpan.Zero }), clock ?? TimeProvider.System);

    private static GenerationRequest NewRequest(GenerationType type, string prompt = "a lighthouse at dusk", int? width = null, int? height = null,
        double? duration = null, int? maxTokens = null) =>
        new(Guid.Parse("6f1c2a9e-0000-4000-8000-000000000001"), type, $"local-{type.ToString().ToLowerInvariant()}", prompt, 42,
            Width: width, Height: height, DurationSeconds: duration, MaxTokens: maxTokens);

    private static ProviderAttempt NewAttempt(List<int>? progress = null) =>
        new(null, null, (_, _) => Task.CompletedTask, percent => progress?.Add(percent));

    private static byte[] Inflate(byte[] zlib)
    {
        using var inflated = new MemoryStream();
        using (var stream = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress)) stream.CopyTo(inflated);
        return inflated.ToArray();
    }

    private static short[] Samples(byte[] wav) =>
        Enumerable.Range(0, (wav.Length - 44) / 2).Select(i => BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44 + 2 * i))).ToArray();

    private static List<(string Type, byte[] Data, bool CrcOk)> Chunks(byte[] png)
    {
        var chunks = new List<(string, byte[], bool)>();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var typeAndData = png.AsSpan(at + 4, 4 + length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            chunks.Add((Encoding.ASCII.GetString(typeAndData[..4]), typeAndData[4..].ToArray(), crc == BitwiseCrc32(typeAndData)));
            at += 12 + length;
        }
        return chunks;
    }

    /// <summary>CRC-32 bit by bit, straight from the PNG specification: independent of the table-driven one under test.</summary>
    private static uint BitwiseCrc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
