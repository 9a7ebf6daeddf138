package org.haxm.api;

/** {@code struct hax_module_version}: the API versions (HAX_IOCTL_VERSION). */
public record HaxModuleVersion(int compatVersion, int curVersion) {}
