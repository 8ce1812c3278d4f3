import CairnCore
import Testing
@testable import CairnKit

@Suite struct SharedStorageTests {
    static let mountinfo = """
        22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
        40 22 0:35 / /shared rw,relatime shared:20 - nfs4 srv:/export rw,vers=4.2,hard,proto=tcp
        41 22 0:36 / /old rw,relatime shared:21 - nfs srv:/old rw,vers=3,nolock,proto=tcp
        42 22 0:37 / /with\\040space rw shared:22 - nfs srv:/x rw,vers=3,local_lock=all
        43 41 0:38 / /old/inner rw shared:23 - ext4 /dev/sdb1 rw
        """

    @Test func findsTheMountHoldingAPath() {
        #expect(SharedStorage.mount(of: "/shared/runs", in: Self.mountinfo)?.type == "nfs4")
        #expect(SharedStorage.mount(of: "/sharedother", in: Self.mountinfo)?.point == "/")
        #expect(SharedStorage.mount(of: "/old/inner/x", in: Self.mountinfo)?.type == "ext4")
        #expect(SharedStorage.mount(of: "/with space/s", in: Self.mountinfo)?.options.contains("local_lock=all") == true)
    }

    @Test func refusesNFSWithoutServerLocks() throws {
        try SharedStorage.check(SharedStorage.mount(of: "/shared/runs", in: Self.mountinfo), store: "/shared/runs")
        try SharedStorage.check(SharedStorage.mount(of: "/old/inner/runs", in: Self.mountinfo), store: "/old/inner/runs")
        for path in ["/old/runs", "/with space/runs"] {
            #expect { try SharedStorage.check(SharedStorage.mount(of: path, in: Self.mountinfo), store: path) } throws: { error in
                let error = error as? CairnError
                return error?.kind == .conflict && error?.message.contains(path) == true && error?.hint?.contains("nolock") == true
            }
        }
    }
}
