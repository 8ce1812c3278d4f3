import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing

/// npy files with the real numpy, both ways: arrays Cairn writes (every numpy dtype, both byte orders,
/// C and Fortran order, 0-d and empty) are read by `numpy.load` with the same dtype, shape, order and
/// bytes; arrays numpy writes (`numpy.save`, and format versions 1.0, 2.0 and 3.0 through
/// `numpy.lib.format.write_array`) are read by Cairn with the same. Fails (does not skip) when Python or
/// numpy is missing.
@Suite struct NpyInteropTests {
    static let reader = #"""
    import json, sys
    import numpy as np
    folder, manifest = sys.argv[1], json.load(open(sys.argv[2]))
    problems = []
    for item in manifest:
        arr = np.load(folder + "/" + item["file"])
        c = np.ascontiguousarray(arr)
        if c.dtype.byteorder == ">":
            c = c.byteswap()
        got = {"dtype": arr.dtype.name, "shape": list(arr.shape), "big": arr.dtype.byteorder == ">",
               "fortran": bool(arr.flags.f_contiguous and not arr.flags.c_contiguous), "hex": c.tobytes().hex()}
        want = {k: item[k] for k in got}
        if got != want:
            problems.append([item["file"], got, want])
    print(json.dumps({"count": len(manifest), "problems": problems[:5]}))
    """#

    static let writer = #"""
    import json, sys
    import numpy as np
    folder = sys.argv[1]
    rng = np.random.default_rng(17)
    names = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32", "float64", "complex64"]
    out = []
    for i in range(80):
        name = names[rng.integers(len(names))]
        shape = tuple(int(d) for d in rng.integers(0, 5, size=rng.integers(0, 4)))
        dtype = np.dtype(name)
        if dtype.itemsize > 1 and rng.integers(2):
            dtype = dtype.newbyteorder(">")
        count = int(np.prod(shape)) if shape else 1
        if name == "bool":
            arr = (rng.integers(0, 2, size=count) == 1).reshape(shape)
        else:
            arr = np.frombuffer(rng.bytes(count * dtype.itemsize), dtype=dtype).reshape(shape)
        if rng.integers(2):
            arr = np.asfortranarray(arr)
        version = [None, (1, 0), (2, 0), (3, 0)][rng.integers(4)]
        path = folder + "/%03d.npy" % i
        if version is None:
            np.save(path, arr)
        else:
            with open(path, "wb") as f:
                np.lib.format.write_array(f, arr, version=version)
        c = np.ascontiguousarray(arr)
        if c.dtype.byteorder == ">":
            c = c.byteswap()
        out.append({"file": "%03d.npy" % i, "dtype": arr.dtype.name, "shape": list(arr.shape), "big": arr.dtype.byteorder == ">",
                    "version": list(version or (1, 0)), "hex": c.tobytes().hex()})
    print(json.dumps(out))
    """#

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func numpyReadsWhatCairnWrites() throws {
        let folder = try TemporaryDirectory("cairn-npy-out")
        var random = SeededGenerator(seed: 4)
        var manifest: [[String: Any]] = []
        for index in 0..<120 {
            let made = NpyCodecTests.generate(&random)
            let array = try NpyArray(dtype: made.dtype, shape: made.shape, cOrderLittleEndian: made.data, byteOrder: made.byteOrder, fortranOrder: made.fortran)
            let name = String(format: "%03d.npy", index)
            try Data(array.encoded()).write(to: folder.appending(name))
            manifest.append(["file": name, "dtype": made.dtype.rawValue, "shape": made.shape, "big": array.header.byteOrder == .big,
                             // numpy calls an array of one axis longer than 1 (or none) both C and Fortran ordered.
                             "fortran": made.fortran && !made.shape.contains(0) && made.shape.filter { $0 > 1 }.count >= 2,
                             "hex": Self.hex(made.data)])
        }
        let manifestFile = folder.appending("manifest.json")
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestFile)
        let result = try TestPython.run(Self.reader, [folder.path, manifestFile.path])
        try #require(result.status == 0, "\(result.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(out["count"] as? Int == 120)
        #expect((out["problems"] as? [Any])?.isEmpty == true, "\(out["problems"] ?? "")")
    }

    @Test func cairnReadsWhatNumpyWrites() throws {
        let folder = try TemporaryDirectory("cairn-npy-in")
        let result = try TestPython.run(Self.writer, [folder.path])
        try #require(result.status == 0, "\(result.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 80)
        var versions = Set<Int>()
        for item in items {
            let name = try #require(item["file"] as? String)
            let bytes = try [UInt8](Data(contentsOf: folder.appending(name)))
            let array = try bytes.withUnsafeBytes { try NpyArray(reading: $0) }
            #expect(array.header.dtype.rawValue == item["dtype"] as? String, "\(name)")
            #expect(array.header.shape == item["shape"] as? [Int], "\(name)")
            #expect((array.header.byteOrder == .big) == (item["big"] as? Bool), "\(name)")
            #expect([array.header.major, array.header.minor] == item["version"] as? [Int], "\(name)")
            #expect(Self.hex(array.cOrderLittleEndian()) == item["hex"] as? String, "\(name)")
            versions.insert(array.header.major)
        }
        #expect(versions == [1, 2, 3])
    }
}
