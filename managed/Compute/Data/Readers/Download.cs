using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using Compute.IO;

namespace Compute.Data
{
    /// <summary>
    /// Fetches dataset files over HTTP into a root folder, skipping files already there, so a
    /// machine without network reads files placed by hand. A download lands atomically (temporary
    /// file + rename): an interrupted one leaves nothing that looks complete.
    /// </summary>
    public static class Download
    {
        private static readonly Lazy<HttpClient> Client = new(() => new HttpClient { Timeout = TimeSpan.FromMinutes(10) });

        /// <summary>
        /// Downloads <paramref name="fileName"/> into <paramref name="folder"/> from the first of
        /// <paramref name="mirrors"/> (base URLs) that serves it, unless the file exists. Returns its path.
        /// </summary>
        /// <exception cref="IOException">No mirror could serve it; the message lists each failure and where to put the file by hand.</exception>
        public static string File(string folder, string fileName, IReadOnlyList<string> mirrors)
        {
            ArgumentNullException.ThrowIfNull(folder);
            ArgumentNullException.ThrowIfNull(fileName);
            ArgumentNullException.ThrowIfNull(mirrors);
            string path = Path.Combine(folder, fileName);
            if (System.IO.File.Exists(path))
            {
                return path;
            }
            var failures = new List<string>();
            foreach (string mirror in mirrors)
            {
                string url = mirror.TrimEnd('/') + "/" + fileName;
                try
                {
                    using HttpResponseMessage response = Client.Value.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
                    response.EnsureSuccessStatusCode();
                    using Stream body = response.Content.ReadAsStream();
                    AtomicFile.Write(path, body.CopyTo);
                    return path;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
                {
                    failures.Add($"{url}: {e.Message}");
                }
            }
            throw new IOException(
                $"Download: could not fetch {fileName} ({string.Join("; ", failures)}). " +
                $"Offline, put the file at {path} yourself.");
        }
    }
}
