package io.dqlite.localkube.pods;

import io.dqlite.localkube.volumes.MountMapper;
import java.io.File;
import java.util.List;
import java.util.Map;

/** Everything needed to start one container as a process, after images, env and mounts resolved. */
public record Launch(
    List<String> argv, Map<String, String> env, File workingDir, MountMapper mounts) {}
