import Foundation
import Testing

/// A build killed at any moment, or stopped by a full or read-only disk, must
/// leave the last published site whole and nothing that breaks the next build.
@Suite(.serialized) struct FailureTests {
    /// A site big enough that a build takes a while, so kills land in every phase.
    func bigSite(_ ws: Workspace, services: Int) throws {
        for i in 0..<services {
            try ws.write("site/content/services/svc-\(i)/index.md", "---\nname: Service \(i)\nowner: team-\(i % 17)\n---\nAbout \(i).\n")
            try ws.write(
                "site/content/services/svc-\(i)/reviews/r1.md",
                "---\ndate: 2026-01-10\ndecision: approved\n---\n- [x] Secrets live in the secret store\n\nNotes for \(i).\n")
        }
    }

    /// Starts `preflight build site` in the workspace and kills it with SIGKILL after `seconds`.
    func buildKilled(in ws: Workspace, after seconds: Double) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["build", "site", "--as-of", "2026-02-01"]
        process.currentDirectoryURL = URL(fileURLWithPath: ws.root)
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: seconds)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Builds the site afresh without the cache into `fresh` and expects
    /// `site/public` to hold the same files with the same bytes.
    func expectPublicIsAFreshBuild(_ ws: Workspace) throws {
        #expect(try preflight(["build", "site", "--as-of", "2026-02-01", "--no-cache", "-o", "fresh"], in: ws.root).status == 0)
        let paths = files(under: ws.site + "/public")
        #expect(paths == files(under: ws.root + "/fresh"))
        for path in paths where !path.hasSuffix(".preflight-manifest") {
            #expect(FileManager.default.contents(atPath: ws.site + "/public/" + path)
                == FileManager.default.contents(atPath: ws.root + "/fresh/" + path), "\(path)")
        }
    }

    func files(under root: String) -> Set<String> {
        Set(FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? [])
    }

    @Test func killedBuildsLeaveTheLastSiteWhole() throws {
        let ws = try Workspace()
        try bigSite(ws, services: 1500)
        #expect(try preflight(["build", "site", "--as-of", "2026-02-01"], in: ws.root).status == 0)
        let before = try ws.read("site/public/readiness.json")
        let beforeFiles = files(under: ws.site + "/public")

        // The next build would change every page; kill it at different moments.
        try ws.write("site/preflight.yml", "title: Renamed\n")
        var generator = SystemRandomNumberGenerator()
        for attempt in 0..<8 {
            try buildKilled(in: ws, after: Double(attempt) * 0.15 + Double.random(in: 0..<0.15, using: &generator))

            // Whatever moment it died at, public/ is one whole site: the old or the new.
            let now = try ws.read("site/public/readiness.json")
            if now == before {
                #expect(files(under: ws.site + "/public") == beforeFiles)
            } else {
                #expect(now.contains("\"title\": \"Renamed\""))
                #expect(files(under: ws.site + "/public") == beforeFiles)
            }
        }
        // The next build succeeds and sweeps away what the killed ones left.
        let run = try preflight(["build", "site", "--as-of", "2026-02-01"], in: ws.root)
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        #expect(try ws.read("site/public/readiness.json").contains("\"title\": \"Renamed\""))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: ws.site).filter {
            $0.contains("preflight-") && $0 != ".preflight-cache"
        }
        #expect(leftovers.isEmpty)
        // The build cache the killed builds were writing holds one index and one blob,
        // and what it gives is what a build without it makes.
        let cache = try FileManager.default.contentsOfDirectory(atPath: ws.site + "/.preflight-cache").sorted()
        #expect(cache.count == 3 && cache.contains("index") && cache.contains("lock"), "\(cache)")
        try ws.write("site/preflight.yml", "title: Renamed again\n")
        #expect(try preflight(["build", "site", "--as-of", "2026-02-01"], in: ws.root).status == 0)
        try expectPublicIsAFreshBuild(ws)
    }

    /// A rebuild with the build cache into the folder it last wrote moves
    /// the changed files in one by one (docs/format.md, "Build cache"): one
    /// killed at any moment may leave a mix, and the next build repairs it,
    /// giving the bytes of a build without the cache.
    @Test func killedRebuildsInPlaceAreRepairedByTheNextBuild() throws {
        let ws = try Workspace()
        try bigSite(ws, services: 1500)
        #expect(try preflight(["build", "site", "--as-of", "2026-02-01"], in: ws.root).status == 0)
        // Every review's prose changes each round: every review and service page is
        // moved in, and the cache's key stays, so each build updates in place.
        func edit(_ round: Int) throws {
            for i in 0..<1500 {
                try ws.write(
                    "site/content/services/svc-\(i)/reviews/r1.md",
                    "---\ndate: 2026-01-10\ndecision: approved\n---\n- [x] Secrets live in the secret store\n\nNotes for \(i), round \(round).\n")
            }
            // A new review in some rounds: pages the last manifest does not list.
            if round % 2 == 1 {
                try ws.write("site/content/services/svc-7/reviews/r\(round).md", "---\ndate: 2026-01-1\(round % 10)\n---\nMore.\n")
            }
        }
        try edit(0)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try preflight(["build", "site", "--as-of", "2026-02-01"], in: ws.root).status == 0)
        let seconds = Double((clock.now - start).components.seconds) + Double((clock.now - start).components.attoseconds) / 1e18
        var generator = SystemRandomNumberGenerator()
        for round in 1...8 {
            try edit(round)
            try buildKilled(in: ws, after: Double.random(in: 0.3..<1.0, using: &generator) * seconds)
        }
        let run = try preflight(["build", "site", "--as-of", "2026-02-01"], in: ws.root)
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        try expectPublicIsAFreshBuild(ws)
        #expect(try ws.read("site/public/.preflight-manifest") == (try ws.read("fresh/.preflight-manifest")))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: ws.site).filter {
            $0.contains("preflight-") && $0 != ".preflight-cache"
        }
        #expect(leftovers.isEmpty)
    }

    /// Runs a shell script in a private mount namespace (no privileges needed,
    /// nothing visible outside it), where it can mount a tiny or read-only tmpfs.
    func inMountNamespace(_ script: String, in directory: String) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--user", "--map-root-user", "--mount", "sh", "-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ["PREFLIGHT": binary, "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func fullDiskEndsInAClearMessageAndKeepsTheOldSite() throws {
        let ws = try Workspace()
        try FileManager.default.createDirectory(atPath: ws.root + "/disk", withIntermediateDirectories: true)
        let run = try inMountNamespace(
            """
            set -u
            mount -t tmpfs -o size=2m tmpfs disk || exit 90
            "$PREFLIGHT" build site -o disk/public --as-of 2026-02-01 >/dev/null || exit 91
            cp disk/public/readiness.json before.json
            head -c 3000000 /dev/zero > site/static-big.bin
            mkdir -p site/static && mv site/static-big.bin site/static/big.bin
            "$PREFLIGHT" build site -o disk/public --as-of 2026-02-01
            echo "exit=$?"
            cmp -s before.json disk/public/readiness.json && echo "old site intact"
            ls -a disk
            """, in: ws.root)
        #expect(run.status == 0, Comment(rawValue: run.stdout + run.stderr))
        #expect(run.stdout.contains("exit=1"))
        #expect(run.stderr.contains("No space left on device"))
        #expect(run.stderr.contains("was left as it was"))
        #expect(!run.stderr.contains("Fatal error"))
        #expect(run.stdout.contains("old site intact"))
        #expect(!run.stdout.contains("preflight-new"))  // the half-written staging folder is gone
    }

    @Test func readOnlyOutputEndsInAClearMessage() throws {
        let ws = try Workspace()
        try FileManager.default.createDirectory(atPath: ws.root + "/disk", withIntermediateDirectories: true)
        let run = try inMountNamespace(
            """
            mount -t tmpfs -o ro tmpfs disk || exit 90
            "$PREFLIGHT" build site -o disk/public --as-of 2026-02-01
            echo "exit=$?"
            """, in: ws.root)
        #expect(run.status == 0, Comment(rawValue: run.stdout + run.stderr))
        #expect(run.stdout.contains("exit=1"))
        #expect(run.stderr.contains("Read-only file system"))
        #expect(!run.stderr.contains("Fatal error"))
    }
}
