#!/usr/bin/env bash
# Builds the file tree that Jib lays over the empty base image ("scratch") in the Maven profile `image`:
#   /opt/java                a jlink'd Java runtime with only the modules Hermod needs
#   /lib/..., /lib64/...     the shared libraries that runtime links against (glibc, zlib, libstdc++...),
#                            copied from this machine's Debian packages (found with ldd, so nothing is guessed)
#   /etc/passwd, /etc/group  the numeric user 65532 ("hermod") the container runs as
#   /tmp, /var/spool/hermod  mount points (an emptyDir and the spool PersistentVolume in k8s/statefulset.yaml)
# No base image is pulled: nothing but this machine's JDK and libraries goes into the image.
# Usage: k8s/image-rootfs.sh OUTPUT_DIR   (called by `mvn -Pimage package`, see k8s/build-image.sh)
set -euo pipefail

out=${1:?usage: image-rootfs.sh OUTPUT_DIR}
# The JDK to jlink from: IMAGE_JAVA_HOME (Maven passes its own java.home), else the one javac belongs to.
java_home=${IMAGE_JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
# Modules: jdeps sees only java.base/java.logging/jdk.unsupported in the shaded jar, but Hazelcast loads
# its XML configuration (java.xml) and uses JMX (java.management) and java.sql types, Micrometer reads
# process metrics (jdk.management), the queue CLI uses java.net.http, TLS needs the EC ciphers
# (jdk.crypto.ec), the JNDI DNS provider (java.naming, jdk.naming.dns) serves Netty's resolver and
# Hazelcast sets TCP keep-alive options (jdk.net).
modules=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

[ -d "$java_home/jmods" ] || { echo "no jmods in $java_home (Debian: apt-get install openjdk-17-jmods)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/opt" "$out/etc" "$out/tmp" "$out/var/spool/hermod"

"$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/opt/java"

# Debian's JDK keeps the CA list outside the JDK (a symbolic link): put the real file in the runtime.
cacerts=$(readlink -f "$java_home/lib/security/cacerts" || true)
if [ -f "$cacerts" ]; then
  rm -f "$out/opt/java/lib/security/cacerts"
  cp "$cacerts" "$out/opt/java/lib/security/cacerts"
fi

# Every library any binary or library of the runtime needs, at the path the dynamic loader looks for it.
# Copied with -L: Jib does not keep symbolic links from extra directories.
libs=$(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) \
  -exec ldd {} \; 2>/dev/null | awk '/=> \//{print $3} /^\t\/.*ld-linux/{print $1}' | sort -u)
for lib in $libs; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
# The program interpreter named in the ELF header (/lib64/ld-linux-x86-64.so.2 on amd64).
interp=$(readelf -l "$out/opt/java/bin/java" | sed -n 's/.*interpreter: \(.*\)]/\1/p')
mkdir -p "$out$(dirname "$interp")"
cp -L "$interp" "$out$interp"

printf 'root:x:0:0:root:/root:/sbin/nologin\nhermod:x:65532:65532:hermod:/var/spool/hermod:/sbin/nologin\n' \
  > "$out/etc/passwd"
printf 'root:x:0:\nhermod:x:65532:\n' > "$out/etc/group"
# glibc's resolver for the JVM's own look-ups (getaddrinfo): files, then DNS, as in Debian.
printf 'hosts: files dns\n' > "$out/etc/nsswitch.conf"

echo "image root: $(du -sh "$out" | cut -f1) in $out (modules: $modules)"
