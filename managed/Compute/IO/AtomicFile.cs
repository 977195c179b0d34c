using System;
using System.IO;

namespace Compute.IO
{
    /// <summary>
    /// Writes a file so that readers see either the old file or the complete new one, never a
    /// half-written file (a crash mid-save leaves the previous checkpoint intact): the bytes go to
    /// a temporary file in the same folder, are flushed to disk, and the temporary file is renamed
    /// over the target (an atomic replace on one file system).
    /// </summary>
    internal static class AtomicFile
    {
        internal static void Write(string path, Action<Stream> write)
        {
            ArgumentNullException.ThrowIfNull(path);
            ArgumentNullException.ThrowIfNull(write);
            string full = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(full) ?? ".";
            Directory.CreateDirectory(folder);
            string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temp, full, overwrite: true);
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
        }
    }
}
