using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Compute.Native
{
    /// <summary>
    /// Finds the native library and checks its ABI version before any binding uses it.
    /// Order: the COMPUTE_NATIVE_LIBRARY environment variable (full path to a custom build),
    /// then runtimes/&lt;rid&gt;/native/ beside Compute.dll (the NuGet layout, also used
    /// when an app is run from a folder without a deps.json), then the runtime's default
    /// probing (the app folder, deps.json native assets, the system search path).
    /// </summary>
    internal static class NativeLibraryLoader
    {
        internal const string EnvironmentVariable = "COMPUTE_NATIVE_LIBRARY";

        // A module initializer is the one place guaranteed to run before any binding is called,
        // whichever public API a program touches first.
#pragma warning disable CA2255
        [ModuleInitializer]
#pragma warning restore CA2255
        internal static void Register()
        {
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
        }

        internal static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (libraryName != NativeMethods.LibraryName)
            {
                return IntPtr.Zero;
            }

            string? custom = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(custom))
            {
                if (!File.Exists(custom))
                {
                    throw new DllNotFoundException(
                        $"{EnvironmentVariable} is set to '{custom}', but no file exists there. " +
                        "Point it at a built libcompute.so / compute.dll or unset it.");
                }
                return LoadChecked(custom);
            }

            string? beside = Path.GetDirectoryName(assembly.Location);
            if (!string.IsNullOrEmpty(beside))
            {
                string candidate = Path.Combine(beside, "runtimes", RuntimeId(), "native", PlatformFileName());
                if (File.Exists(candidate))
                {
                    return LoadChecked(candidate);
                }
            }

            if (NativeLibrary.TryLoad(libraryName, assembly, searchPath, out IntPtr handle))
            {
                CheckAbiVersion(ReadAbiVersion(handle), LoadedPath(handle, libraryName));
                return handle;
            }
            // Zero lets the runtime raise its usual DllNotFoundException with every path it tried.
            return IntPtr.Zero;
        }

        private static IntPtr LoadChecked(string path)
        {
            IntPtr handle = NativeLibrary.Load(path);
            CheckAbiVersion(ReadAbiVersion(handle), path);
            return handle;
        }

        private static unsafe uint ReadAbiVersion(IntPtr library)
        {
            var abiVersion = (delegate* unmanaged<uint>)NativeLibrary.GetExport(library, "cmp_abi_version");
            return abiVersion();
        }

        /// <summary>
        /// Throws <see cref="NativeLibraryVersionException"/> when the library's ABI version
        /// differs from the one these bindings were generated for.
        /// </summary>
        internal static void CheckAbiVersion(uint libraryVersion, string path)
        {
            if (libraryVersion != NativeMethods.AbiVersion)
            {
                throw new NativeLibraryVersionException(
                    $"The Compute native library at '{path}' implements ABI version {libraryVersion}, " +
                    $"but this Compute.dll was generated for ABI version {NativeMethods.AbiVersion}. " +
                    "Use the native library from the same build or package as Compute.dll " +
                    $"(or point {EnvironmentVariable} at a matching build).");
            }
        }

        internal static string RuntimeId()
        {
            string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            return $"{os}-{arch}";
        }

        private static string PlatformFileName() =>
            OperatingSystem.IsWindows() ? "compute.dll" : OperatingSystem.IsMacOS() ? "libcompute.dylib" : "libcompute.so";

        // Default probing does not say which file it opened; the symbol's module tells us on
        // Linux, and the name is a fair description elsewhere.
        private static string LoadedPath(IntPtr handle, string libraryName)
        {
            if (OperatingSystem.IsLinux() && NativeLibrary.TryGetExport(handle, "cmp_abi_version", out IntPtr symbol))
            {
                string? path = ModulePath(symbol);
                if (path != null)
                {
                    return path;
                }
            }
            return libraryName + " (found by default probing)";
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct DlInfo
        {
            public IntPtr FileName;
            public IntPtr BaseAddress;
            public IntPtr SymbolName;
            public IntPtr SymbolAddress;
        }

        private static unsafe string? ModulePath(IntPtr symbol)
        {
            try
            {
                IntPtr libdl = NativeLibrary.Load("libc.so.6");
                var dladdr = (delegate* unmanaged<IntPtr, DlInfo*, int>)NativeLibrary.GetExport(libdl, "dladdr");
                DlInfo info;
                return dladdr(symbol, &info) != 0 ? Marshal.PtrToStringUTF8(info.FileName) : null;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }
        }
    }
}
