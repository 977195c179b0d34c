<#
.SYNOPSIS
  build.ps1 - the one entry point of Compute on Windows (win-x64), mirroring build.sh.

.DESCRIPTION
  .\build.ps1 [build]       native library (compute.dll via CMake), bindings when stale, .NET solution
  .\build.ps1 test          every suite, then one line "N passed, N failed" (non-zero on failure)
  .\build.ps1 pack          artifacts\Compute.<version>.nupkg (lib\net10.0 + runtimes\win-x64\native\compute.dll)
  .\build.ps1 run-example   builds, then runs the main example (examples\tensors)
  .\build.ps1 bench         builds, then runs bench\run.ps1
  .\build.ps1 clean         removes build\release, artifacts\ and the .NET bin\obj folders

  Options: -Configuration Debug (Debug native build in build\debug; default Release).
  Requires PowerShell 7 or later (pwsh).

  Prerequisites (not installed by this script; it says which one is missing):
    the .NET 10 SDK; CMake >= 3.25; Visual Studio 2022 with the C++ workload (MSVC), or
    clang-cl + Ninja on PATH in a developer prompt; Python 3 with the `clang` package and
    COMPUTE_LIBCLANG pointing at libclang.dll (for the binding generator); for `test`,
    GoogleTest findable by CMake (e.g. vcpkg install gtest, then set CMAKE_PREFIX_PATH).

  Differences from build.sh, on purpose:
    - the C and C++ consumer tests and the NuGet consumer test are shell scripts
      (tests/consumers/*.sh); here they are re-expressed in PowerShell below;
    - the native build uses the Ninja generator when a compiler is on PATH (a developer prompt),
      otherwise the Visual Studio generator, whose outputs land in build\release\Release.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'pack', 'run-example', 'bench', 'clean')]
    [string] $Verb = 'build',
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)
#Requires -Version 7.0

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$Header = Join-Path $Root 'native/include/compute/compute.h'
$BindingsOut = Join-Path $Root 'managed/Compute/Native/NativeMethods.g.cs'
$Solution = Join-Path $Root 'Compute.sln'
$Artifacts = Join-Path $Root 'artifacts'
$Example = Join-Path $Root 'examples/tensors'
$Expected = Join-Path $Root 'tests/consumers/expected/tensor_tour.txt'
$Version = (Select-String -Path (Join-Path $Root 'CMakeLists.txt') -Pattern '^project\(Compute VERSION ([0-9.]+)').Matches[0].Groups[1].Value
$BuildType = $Configuration
# GoogleTest is only needed by `test`; build, pack and run-example configure without it.
$script:NativeTests = $false
$BuildDir = Join-Path $Root ("build/" + $BuildType.ToLowerInvariant())
$Jobs = [Environment]::ProcessorCount

function Step([string] $Text) { Write-Host ""; Write-Host "==> $Text" }

# Runs a native command and throws when it fails (PowerShell does not, by itself).
function Invoke-Native {
    param([string] $Exe, [Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Find-Python {
    foreach ($candidate in @('py', 'python3', 'python')) {
        if (Get-Command $candidate -ErrorAction SilentlyContinue) { return $candidate }
    }
    throw 'Python 3 is missing (https://www.python.org/downloads/); the binding generator needs it with the clang package'
}

# --- prerequisites ------------------------------------------------------------------------

function Assert-Prerequisites {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { throw 'the .NET 10 SDK is missing: https://dotnet.microsoft.com/download' }
    if (-not (Get-Command cmake -ErrorAction SilentlyContinue)) { throw 'CMake >= 3.25 is missing (winget install Kitware.CMake)' }
    $script:Python = Find-Python
}

# Ninja with the compiler of a developer prompt when there is one; otherwise Visual Studio,
# which finds MSVC by itself but is a multi-config generator (outputs in <dir>\<config>).
function Get-Generator {
    $compiler = (Get-Command cl -ErrorAction SilentlyContinue) ?? (Get-Command clang-cl -ErrorAction SilentlyContinue)
    if ((Get-Command ninja -ErrorAction SilentlyContinue) -and $compiler) {
        return @{ Args = @('-G', 'Ninja', "-DCMAKE_BUILD_TYPE=$BuildType"); MultiConfig = $false }
    }
    return @{ Args = @('-G', 'Visual Studio 17 2022', '-A', 'x64'); MultiConfig = $true }
}

# Where compute.dll and the test programs end up.
function Get-OutputDir([string] $Sub = '') {
    $dir = if ($Sub) { Join-Path $BuildDir $Sub } else { $BuildDir }
    if ($script:Generator.MultiConfig) { return Join-Path $dir $BuildType }
    return $dir
}

# --- build stages -------------------------------------------------------------------------

function Build-Native {
    Step "native library ($BuildType, $BuildDir)"
    $script:Generator = Get-Generator
    $configure = @('-S', $Root, '-B', $BuildDir) + $script:Generator.Args + @(
        '-DCOMPUTE_WERROR=ON', "-DCOMPUTE_BUILD_TESTS=$(if ($script:NativeTests) { 'ON' } else { 'OFF' })")
    Invoke-Native cmake @configure
    Invoke-Native cmake --build $BuildDir --config $BuildType --parallel $Jobs
}

function Update-Bindings {
    $opsHeaders = @(Get-ChildItem (Join-Path $Root 'native/include/compute/ops') -Filter '*.h' | ForEach-Object FullName)
    foreach ($input in @($Header) + $opsHeaders + @((Join-Path $Root 'bindings/generate.py'), (Join-Path $Root 'bindings/config.json'))) {
        if (-not (Test-Path $BindingsOut) -or (Get-Item $input).LastWriteTimeUtc -gt (Get-Item $BindingsOut).LastWriteTimeUtc) {
            Step "bindings ($(Split-Path $input -Leaf) is newer than NativeMethods.g.cs)"
            Invoke-Native $script:Python (Join-Path $Root 'bindings/generate.py')
            return
        }
    }
}

# The managed project copies compute.dll from ComputeNativeBuildDir into its output.
function Build-Managed {
    Step "managed solution"
    Invoke-Native dotnet build $Solution -c Release -nologo -v:minimal "-p:ComputeNativeBuildDir=$(Get-OutputDir)"
}

function Build-All {
    Build-Native
    Update-Bindings
    Build-Managed
}

function New-Package {
    Build-All
    Save-Package
}

# Packs what the build stages produced (the managed Release output and the native library).
function Save-Package {
    Step 'NuGet package'
    Get-ChildItem $Artifacts -Filter 'Compute.*nupkg' -ErrorAction SilentlyContinue | Remove-Item
    Invoke-Native dotnet pack (Join-Path $Root 'managed/Compute') -c Release -nologo -v:minimal --no-build `
        "-p:ComputeNativeDir=$(Get-OutputDir)" -o $Artifacts
}

function Invoke-Example {
    Invoke-Native dotnet run --project $Example -c Release "-p:ComputeNativeBuildDir=$(Get-OutputDir)"
}

function Invoke-Clean {
    Step 'clean'
    foreach ($dir in @('build/release', 'build/debug', 'artifacts')) {
        Remove-Item -Recurse -Force (Join-Path $Root $dir) -ErrorAction SilentlyContinue
    }
    foreach ($proj in Get-ChildItem -Path (Join-Path $Root 'managed'), (Join-Path $Root 'tests'), (Join-Path $Root 'examples'), (Join-Path $Root 'bench') -Filter '*.csproj' -Recurse -ErrorAction SilentlyContinue) {
        Remove-Item -Recurse -Force (Join-Path $proj.DirectoryName 'bin'), (Join-Path $proj.DirectoryName 'obj') -ErrorAction SilentlyContinue
    }
}

# --- test: every suite as a stage, counted ----------------------------------------------------

$script:Summary = [System.Collections.Generic.List[string]]::new()
$script:TotalPassed = 0
$script:TotalFailed = 0

# Counts JUnit results (GoogleTest, CTest): a <failure>/<error> child fails, <skipped> or a
# not-run status skips, anything else passes.
function Measure-JUnit([string] $Path) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($case in ([xml](Get-Content -Raw $Path)).SelectNodes('//testcase')) {
        if ($case.SelectSingleNode('failure|error')) { $failed++ }
        elseif ($case.SelectSingleNode('skipped') -or $case.GetAttribute('result') -in @('skipped', 'suppressed') -or
                $case.GetAttribute('status') -in @('notrun', 'disabled')) { $skipped++ }
        else { $passed++ }
    }
    return @($passed, $failed, $skipped)
}

# Counts a TRX file (dotnet test) from its <Counters> summary.
function Measure-Trx([string] $Path) {
    $counters = ([xml](Get-Content -Raw $Path)).SelectSingleNode("//*[local-name()='Counters']")
    $get = { param($name) $value = $counters.GetAttribute($name); if ($value) { [int]$value } else { 0 } }
    return @((& $get 'passed'),
             ((& $get 'failed') + (& $get 'error') + (& $get 'timeout') + (& $get 'aborted')),
             ((& $get 'notExecuted') + (& $get 'inconclusive')))
}

# Runs one stage; a failure is reported and counted and later stages still run. Kind 'suite':
# the block returns @(passed, failed, skipped); 'check': one test; 'step': counted only when
# it fails.
function Invoke-Stage([string] $Kind, [string] $Name, [scriptblock] $Block) {
    Step $Name
    $passed = 0; $failed = 0; $skipped = 0; $ok = $true
    try {
        $result = & $Block
        if ($Kind -eq 'suite') { $passed, $failed, $skipped = $result[-3..-1] }
        elseif ($Kind -eq 'check') { $passed = 1 }
    } catch {
        Write-Host "--> $Name FAILED: $_"
        $ok = $false
        if ($failed -eq 0) { $failed = 1 }
    }
    $status = if ($ok -and $failed -eq 0) { 'ok' } else { 'FAILED' }
    if ($skipped) { $status += " ($skipped skipped)" }
    $script:Summary.Add(('  {0,-30} {1,5} passed {2,4} failed   {3}' -f $Name, $passed, $failed, $status))
    $script:TotalPassed += $passed
    $script:TotalFailed += $failed
}

function Test-CMakeConsumer([string] $ExampleName) {
    $tmp = Join-Path ([IO.Path]::GetTempPath()) ("compute-" + [guid]::NewGuid())
    try {
        # Install to a staging prefix and move it: the package config must be relocatable.
        Invoke-Native cmake --install $BuildDir --config $BuildType --prefix "$tmp/stage" | Out-Null
        Move-Item "$tmp/stage" "$tmp/prefix"
        foreach ($f in @('include/compute/compute.h', 'include/compute/compute.hpp', 'bin/compute.dll', 'lib/compute.lib',
                         'lib/cmake/Compute/ComputeConfig.cmake', 'lib/cmake/Compute/ComputeConfigVersion.cmake')) {
            if (-not (Test-Path "$tmp/prefix/$f")) { throw "install is missing $f" }
        }
        $flags = if ($ExampleName -eq 'c') { '-DCMAKE_C_FLAGS=/W4 /WX' } else { '-DCMAKE_CXX_FLAGS=/W4 /WX /EHsc' }
        Invoke-Native cmake -S (Join-Path $Root "examples/$ExampleName") -B "$tmp/build" @($script:Generator.Args) `
            "-DCMAKE_PREFIX_PATH=$tmp/prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF $flags
        Invoke-Native cmake --build "$tmp/build" --config $BuildType
        $exeDir = if ($script:Generator.MultiConfig) { "$tmp/build/$BuildType" } else { "$tmp/build" }
        # Windows has no rpath: the installed compute.dll is found through PATH.
        $env:PATH = "$tmp/prefix/bin;$env:PATH"
        $output = & "$exeDir/tensor_tour_$ExampleName.exe"
        if ($LASTEXITCODE -ne 0) { throw "tensor_tour_$ExampleName failed: $output" }
        $output | Write-Host
        Compare-Output $output
        if ($ExampleName -eq 'cpp' -and -not ($output -match '^error \(status [0-9]+\): .*matmul')) {
            throw 'the C++ example did not report the matmul shape error as compute::Error'
        }
    } finally {
        Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
    }
}

# The same check as tests/consumers/compare_output.sh: every result line of the PyTorch
# fixture must appear with the same number of values, each within rtol 1e-5 + atol 1e-6.
function Compare-Output([string[]] $Actual) {
    $got = @{}
    foreach ($line in $Actual) { if ($line -match '^([A-Za-z0-9_]+):(.*)$') { $got[$Matches[1]] = $Matches[2].Trim() -split '\s+' } }
    $bad = 0
    foreach ($line in Get-Content $Expected) {
        if ($line.StartsWith('#') -or $line -notmatch '^([A-Za-z0-9_]+):(.*)$') { continue }
        $name = $Matches[1]; $want = $Matches[2].Trim() -split '\s+'
        if (-not $got.ContainsKey($name)) { Write-Host "missing result $name"; $bad++; continue }
        if ($got[$name].Count -ne $want.Count) { Write-Host "${name}: expected $($want.Count) values, got $($got[$name].Count)"; $bad++; continue }
        for ($i = 0; $i -lt $want.Count; $i++) {
            $e = [double]::Parse($want[$i], [Globalization.CultureInfo]::InvariantCulture)
            $g = [double]::Parse($got[$name][$i], [Globalization.CultureInfo]::InvariantCulture)
            if ([math]::Abs($g - $e) -gt 1e-6 + 1e-5 * [math]::Abs($e)) { Write-Host "$name[$i]: expected $e, got $g"; $bad++ }
        }
    }
    if ($bad) { throw "$bad mismatches against the expected output" }
}

function Test-PackageContents {
    $pkg = Join-Path $Artifacts "Compute.$Version.nupkg"
    if (-not (Test-Path $pkg)) { throw "$pkg is missing (package version must match CMake's project version $Version)" }
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [IO.Compression.ZipFile]::OpenRead($pkg)
    try {
        $entries = $zip.Entries | ForEach-Object FullName
        foreach ($entry in @('lib/net10.0/Compute.dll', 'lib/net10.0/Compute.xml', 'runtimes/win-x64/native/compute.dll')) {
            if ($entry -notin $entries) { throw "$pkg lacks $entry" }
        }
    } finally { $zip.Dispose() }
}

function Test-NuGetConsumer {
    $tmp = Join-Path ([IO.Path]::GetTempPath()) ("compute-" + [guid]::NewGuid())
    $savedPackages = $env:NUGET_PACKAGES
    try {
        # A private package cache so that a stale Compute.$Version can never be used.
        $env:NUGET_PACKAGES = "$tmp/packages"
        Invoke-Native dotnet new console --name TensorTour --output "$tmp/app" --framework net10.0 | Out-Null
        Set-Content "$tmp/app/nuget.config" @"
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$Artifacts" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="Compute" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
"@
        Push-Location "$tmp/app"
        try {
            Invoke-Native dotnet add package Compute --version $Version | Out-Null
            Copy-Item (Join-Path $Root 'tests/consumers/nuget/Program.cs') Program.cs -Force
            $output = & dotnet run -c Release 2>&1 | ForEach-Object { "$_" }
            if ($LASTEXITCODE -ne 0) { throw "the consumer program failed: $output" }
            $output | Write-Host
            Compare-Output $output
        } finally { Pop-Location }
    } finally {
        $env:NUGET_PACKAGES = $savedPackages
        Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
    }
}

function Invoke-Tests {
    $results = Join-Path $BuildDir 'test-results'
    New-Item -ItemType Directory -Force $results | Out-Null
    # Checked before the build regenerates anything, so a stale committed file fails here.
    Invoke-Stage check 'bindings up to date' { Invoke-Native $script:Python (Join-Path $Root 'bindings/generate.py') --check }
    $script:NativeTests = $true
    Invoke-Stage step 'native build' { Build-Native }
    Invoke-Stage suite 'native (GoogleTest)' {
        $xml = Join-Path $results 'gtest.xml'
        Remove-Item $xml -ErrorAction SilentlyContinue
        # A failing test makes the program exit non-zero; the XML still holds every result.
        & (Join-Path (Get-OutputDir 'tests/native') 'compute_native_tests.exe') "--gtest_output=xml:$xml" | Write-Host
        if (-not (Test-Path $xml)) { throw 'GoogleTest wrote no results (did the test program crash?)' }
        Measure-JUnit $xml
    }
    Invoke-Stage suite 'C ABI (ctest)' {
        $xml = Join-Path $results 'capi.xml'
        Remove-Item $xml -ErrorAction SilentlyContinue
        & ctest --test-dir $BuildDir -C $BuildType -R '^capi\.' --output-on-failure --output-junit $xml | Write-Host
        if (-not (Test-Path $xml)) { throw 'CTest wrote no results' }
        Measure-JUnit $xml
    }
    Invoke-Stage step 'bindings + managed build' { Update-Bindings; Build-Managed }
    Invoke-Stage suite 'managed (dotnet test)' {
        $dir = Join-Path $results 'trx'
        Remove-Item -Recurse $dir -ErrorAction SilentlyContinue
        & dotnet test $Solution -c Release --no-build -nologo -v:minimal --logger trx --results-directory $dir | Write-Host
        $trx = @(Get-ChildItem $dir -Filter '*.trx' -ErrorAction SilentlyContinue)
        if ($trx.Count -eq 0) { throw 'dotnet test wrote no TRX results' }
        $sum = @(0, 0, 0)
        foreach ($file in $trx) { $c = Measure-Trx $file.FullName; for ($i = 0; $i -lt 3; $i++) { $sum[$i] += $c[$i] } }
        $sum
    }
    Invoke-Stage check 'tensors example' { Invoke-Example }
    Invoke-Stage step 'pack' { Save-Package }
    Invoke-Stage check 'package contents' { Test-PackageContents }
    Invoke-Stage check 'NuGet consumer' { Test-NuGetConsumer }
    Invoke-Stage check 'C consumer (examples/c)' { Test-CMakeConsumer 'c' }
    Invoke-Stage check 'C++ consumer (examples/cpp)' { Test-CMakeConsumer 'cpp' }
    Write-Host ''
    Write-Host '==> summary'
    $script:Summary | ForEach-Object { Write-Host $_ }
    Write-Host "$script:TotalPassed passed, $script:TotalFailed failed"
    if ($script:TotalFailed -gt 0) { exit 1 }
}

# --- main ---------------------------------------------------------------------------------

if (-not $Version) { throw 'cannot read the project version from CMakeLists.txt' }
if ($Verb -eq 'clean') { Invoke-Clean; exit 0 }
Assert-Prerequisites
Set-Location $Root
switch ($Verb) {
    'build' { Build-All }
    'test' { Invoke-Tests }
    'pack' { New-Package }
    'run-example' { Build-All; Step 'examples/tensors'; Invoke-Example }
    'bench' {
        $bench = Join-Path $Root 'bench/run.ps1'
        if (-not (Test-Path $bench)) { throw 'bench\ has no benchmarks yet (bench\run.ps1 is missing)' }
        Build-All; Step 'bench'; & $bench
    }
}
