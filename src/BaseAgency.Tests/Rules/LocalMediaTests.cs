using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using BaseAgency.Providers;
using BaseAgency.Providers.Local;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BaseAgency.Tests.Rules;

/// <summary>The local provider's files are real: a PNG decoder and a WAV reader would accept them.</summary>
public sealed class LocalMediaTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(512, 288)]
    public void A_png_has_valid_chunks_the_right_size_and_all_its_pixels(int width, int height)
    {
        var png = Png.Render("a lighthouse", 7, width, height);

        png[..8].ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var chunks = Chunks(png).ToList();
        chunks.Select(c => c.Type).ShouldBe(["IHDR", "IDAT", "IEND"]);
        foreach (var chunk in chunks) chunk.CrcOk.ShouldBeTrue($"{chunk.Type} CRC");

        var header = chunks[0].Data;
        BinaryPrimitives.ReadInt32BigEndian(header).ShouldBe(width);
        BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)).ShouldBe(height);
        header[8].ShouldBe((byte)8);
        header[9].ShouldBe((byte)2);

        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress)) zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        raw.Length.ShouldBe(height * (1 + 3 * width));
        Enumerable.Range(0, height).ShouldAllBe(row => raw[row * (1 + 3 * width)] == 0); // filter "none" on every row
    }

    [Fact]
    public void The_same_prompt_and_seed_draw_the_same_picture_and_another_seed_another()
    {
        Png.Render("a lighthouse", 7, 64, 64).ShouldBe(Png.Render("a lighthouse", 7, 64, 64));
        Png.Render("a lighthouse", 8, 64, 64).ShouldNotBe(Png.Render("a lighthouse", 7, 64, 64));
        Png.Render("a harbour", 7, 64, 64).ShouldNotBe(Png.Render("a lighthouse", 7, 64, 64));
    }

    [Fact]
    public void A_wav_is_pcm_of_exactly_the_asked_length()
    {
        var wav = Wav.Render("hello there", 1, 2.5, sampleRate: 22050);

        Encoding.ASCII.GetString(wav, 0, 4).ShouldBe("RIFF");
        BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(4)).ShouldBe(wav.Length - 8);
        Encoding.ASCII.GetString(wav, 8, 8).ShouldBe("WAVEfmt ");
        BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(20)).ShouldBe((short)1); // PCM
        BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)).ShouldBe((short)1); // mono
        BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)).ShouldBe(22050);
        BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34)).ShouldBe((short)16);
        Encoding.ASCII.GetString(wav, 36, 4).ShouldBe("data");
        BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40)).ShouldBe(55125 * 2); // 2.5 s × 22050 samples × 2 bytes
        wav.Skip(44).Any(b => b != 0).ShouldBeTrue(); // not silence
        Wav.Render("hello there", 1, 2.5).ShouldBe(wav);
    }

    [Fact]
    public void Text_is_deterministic_mentions_the_prompt_and_stays_within_max_tokens()
    {
        var (text, tokensIn, tokensOut) = LocalText.Write("a bakery tagline", 3, 20);
        text.ShouldContain("a bakery tagline");
        tokensOut.ShouldBeLessThanOrEqualTo(20);
        text.Split(' ').Length.ShouldBeLessThanOrEqualTo(20);
        tokensIn.ShouldBe(3);
        LocalText.Write("a bakery tagline", 3, 20).Text.ShouldBe(text);
    }

    [Fact]
    public async Task The_provider_makes_images_audio_and_text_refuses_video_and_honours_cancellation()
    {
        var provider = new LocalProvider(Options.Create(new LocalProviderOptions { Latency = TimeSpan.Zero }), TimeProvider.System);
        var progress = new List<int>();
        var attempt = new ProviderAttempt(null, null, (_, _) => Task.CompletedTask, progress.Add);

        var image = await provider.GenerateAsync(new GenerationRequest(Guid.NewGuid(), GenerationType.Image, "local-image", "x", 1, Width: 32, Height: 16), attempt, default);
        image.Files.Single().ContentType.ShouldBe("image/png");
        image.Files.Single().Width.ShouldBe(32);
        image.CostUsd.ShouldBe(0);
        progress.ShouldContain(90);

        var audio = await provider.GenerateAsync(new GenerationRequest(Guid.NewGuid(), GenerationType.Audio, "local-audio", "say this", 1, DurationSeconds: 1.5), attempt, default);
        audio.Files.Single().DurationSeconds.ShouldBe(1.5);
        var text = await provider.GenerateAsync(new GenerationRequest(Guid.NewGuid(), GenerationType.Text, "local-text", "write", 1, MaxTokens: 10), attempt, default);
        text.Files.ShouldBeEmpty();
        text.Text.ShouldNotBeNullOrWhiteSpace();

        var video = await Should.ThrowAsync<ProviderException>(() =>
            provider.GenerateAsync(new GenerationRequest(Guid.NewGuid(), GenerationType.Video, "local-video", "x", 1), attempt, default));
        video.Kind.ShouldBe(ProviderFailureKind.Permanent);

        var slow = new LocalProvider(Options.Create(new LocalProviderOptions { Latency = TimeSpan.FromMinutes(1) }), new FakeTimeProvider());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Should.ThrowAsync<OperationCanceledException>(() =>
            slow.GenerateAsync(new GenerationRequest(Guid.NewGuid(), GenerationType.Image, "local-image", "x", 1), attempt, cancel.Token));
    }

    private static IEnumerable<(string Type, byte[] Data, bool CrcOk)> Chunks(byte[] png)
    {
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length).ToArray();
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            yield return (type, data, crc == Crc32.Of(Encoding.ASCII.GetBytes(type), data));
            at += 12 + length;
        }
    }
}
