namespace BaseAgency.Providers;

/// <summary>Image sizes from an aspect ratio: the longest side is the base, the other follows, rounded to 8 pixels.</summary>
public static class ImageSizes
{
    public static readonly string[] AspectRatios = ["1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "21:9", "9:21"];

    public const int DefaultLongestSide = 1024;
    public const int MinSide = 64;
    public const int MaxSide = 4096;

    public static (int Width, int Height) For(string? aspectRatio, int longestSide)
    {
        var (w, h) = aspectRatio?.Split(':') is [var a, var b] && int.TryParse(a, out var x) && int.TryParse(b, out var y) && x > 0 && y > 0
            ? (x, y)
            : (1, 1);
        int Other(int small, int large) => Math.Max(MinSide, (int)Math.Round((double)longestSide * small / large / 8) * 8);
        return w >= h ? (longestSide, Other(h, w)) : (Other(w, h), longestSide);
    }
}
