package dev.strata.infra;

import java.util.List;

/**
 * The boot script that turns the instance's NVMe instance store into the segment cache. Instance store is empty
 * on every launch (and after every stop), so the script formats it each boot, then mounts it where the shard
 * task's bind mount expects it. It finds the device by its NVMe model string rather than trusting a fixed name,
 * and falls back to {@link #DEFAULT_DEVICE}. The ECS agent starts after cloud-init's user data, so no task can
 * write to the cache directory before the mount.
 */
public final class CacheVolumeUserData {
    /** Where the instance store is mounted on the host, and the source of the task's bind mount. */
    public static final String HOST_MOUNT = "/mnt/strata-cache";
    /** The first instance-store device of i4i/i3/…d types on Nitro. */
    public static final String DEFAULT_DEVICE = "/dev/nvme1n1";
    /** uid:gid of the user the shard service image runs as (shard-service-ecs/Dockerfile). */
    public static final String CACHE_OWNER = "10001:10001";

    private CacheVolumeUserData() {}

    /** Shell commands, in order, for the launch template's user data. */
    public static List<String> commands() {
        return List.of(
                "set -euo pipefail",
                "CACHE_DEV=''",
                "for dev in /dev/nvme*n1; do",
                "  model=$(cat /sys/block/$(basename $dev)/device/model 2>/dev/null || true)",
                "  case \"$model\" in *'Instance Storage'*) CACHE_DEV=$dev; break;; esac",
                "done",
                "CACHE_DEV=${CACHE_DEV:-" + DEFAULT_DEVICE + "}",
                "mkdir -p " + HOST_MOUNT,
                "if ! mountpoint -q " + HOST_MOUNT + "; then",
                "  mkfs.xfs -f \"$CACHE_DEV\"",
                "  mount -o noatime \"$CACHE_DEV\" " + HOST_MOUNT,
                "fi",
                "chmod 0770 " + HOST_MOUNT,
                // The shard image runs as the non-root user strata (uid/gid 10001); it owns the cache.
                "chown " + CACHE_OWNER + " " + HOST_MOUNT);
    }
}
