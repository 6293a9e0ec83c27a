# make install and make uninstall (issue 14, item 6): toesd to SBINDIR,
# toesctl to BINDIR, the manual pages to MANDIR, under DESTDIR, never
# stripped; the installed toesd runs; uninstall removes exactly what install
# put there; the variables work from the command line and the environment;
# the manual pages are clean for mandoc; make static says so and fails
# without musl-gcc. The runner's binaries are copied as they are (make -o:
# nothing is rebuilt, so no other test's binary changes under it); nothing
# is written outside $T. The real static build (about 4 s of compiling) is
# left out; its make lines are checked with make -n when musl-gcc is there.
. tests/integration/lib.sh

# The caller's make and install settings must not leak in.
unset MAKEFLAGS MFLAGS MAKELEVEL DESTDIR PREFIX BINDIR SBINDIR MANDIR MUSL_GCC
ROOT=$T/root
OUT=$T/make.out

# mk ARGS...: make in the top folder on the runner's binaries, as they are.
mk() { make -s -o "$BUILD/toesd" -o "$BUILD/toesctl" BUILD="$BUILD" "$@" >"$OUT" 2>&1; }
# mode_is FILE MODE: ls -l's mode column (-rwxr-xr-x), not a link.
mode_is() { [ ! -L "$1" ] && [ "$(ls -ld "$1" | cut -c1-10)" = "$2" ]; }
# files_are DIR PATH...: the files (all but folders) under DIR, sorted.
files_are() {
	fa_dir=$1
	shift
	[ "$(cd "$fa_dir" && find . ! -type d | sort)" = "$(printf '%s\n' "$@" | sort)" ]
}
# not_stripped FILE: its symbol table is still there.
not_stripped() {
	if command -v readelf >/dev/null 2>&1; then
		readelf -S "$1" | grep -q '\.symtab'
	else
		file "$1" | grep -q 'not stripped'
	fi
}
no_output() { [ ! -s "$OUT" ]; }

# What install runs: only install commands, none with -s, no compiler.
check dry_run mk -n install DESTDIR="$ROOT" PREFIX=/usr
check dry_run_only_install sh -c "! grep -q -v -e '^install ' -e '^[[:space:]]' '$OUT'"
check dry_run_never_strips sh -c "! grep -q -E -e '^install .*-s( |\$)' -e strip '$OUT'"

check install mk install DESTDIR="$ROOT" PREFIX=/usr
check install_quiet no_output
check installed_files files_are "$ROOT" ./usr/sbin/toesd ./usr/bin/toesctl \
	./usr/share/man/man8/toesd.8 ./usr/share/man/man1/toesctl.1
check toesd_mode mode_is "$ROOT/usr/sbin/toesd" -rwxr-xr-x
check toesctl_mode mode_is "$ROOT/usr/bin/toesctl" -rwxr-xr-x
check toesd_man_mode mode_is "$ROOT/usr/share/man/man8/toesd.8" -rw-r--r--
check toesctl_man_mode mode_is "$ROOT/usr/share/man/man1/toesctl.1" -rw-r--r--
check toesd_same_bytes cmp -s "$BUILD/toesd" "$ROOT/usr/sbin/toesd"
check toesctl_same_bytes cmp -s "$BUILD/toesctl" "$ROOT/usr/bin/toesctl"
check man8_same_bytes cmp -s man/toesd.8 "$ROOT/usr/share/man/man8/toesd.8"
check man1_same_bytes cmp -s man/toesctl.1 "$ROOT/usr/share/man/man1/toesctl.1"
if command -v readelf >/dev/null 2>&1 || command -v file >/dev/null 2>&1; then
	check toesd_not_stripped not_stripped "$ROOT/usr/sbin/toesd"
	check toesctl_not_stripped not_stripped "$ROOT/usr/bin/toesctl"
else
	skip toesd_not_stripped "neither readelf nor file is installed"
	skip toesctl_not_stripped "neither readelf nor file is installed"
fi
VERSION=$("$ROOT/usr/sbin/toesd" --version 2>&1)
check installed_toesd_version [ "$VERSION" = "$("$TOESD" --version 2>&1)" ]
check installed_toesd_version_text sh -c "printf '%s\n' '$VERSION' | grep -q '^toesd [0-9]'"
check installed_toesctl_help sh -c "'$ROOT/usr/bin/toesctl' --help >/dev/null 2>&1"

# Installing again over the same files is fine.
check install_again mk install DESTDIR="$ROOT" PREFIX=/usr
check uninstall mk uninstall DESTDIR="$ROOT" PREFIX=/usr
check uninstall_removed_all files_are "$ROOT"
check uninstall_keeps_folders test -d "$ROOT/usr/bin"
check uninstall_again mk uninstall DESTDIR="$ROOT" PREFIX=/usr

# Each folder on its own, from the command line, then from the environment.
R2=$T/root2
check install_dirs mk install DESTDIR="$R2" PREFIX=/nowhere BINDIR=/b SBINDIR=/s MANDIR=/m
check install_dirs_files files_are "$R2" ./s/toesd ./b/toesctl ./m/man8/toesd.8 ./m/man1/toesctl.1
check uninstall_dirs mk uninstall DESTDIR="$R2" PREFIX=/nowhere BINDIR=/b SBINDIR=/s MANDIR=/m
check uninstall_dirs_removed_all files_are "$R2"
R3=$T/root3
check install_env env DESTDIR="$R3" PREFIX=/opt/toes MANDIR=/opt/man \
	make -s -o "$BUILD/toesd" -o "$BUILD/toesctl" BUILD="$BUILD" install
check install_env_files files_are "$R3" ./opt/toes/sbin/toesd ./opt/toes/bin/toesctl \
	./opt/man/man8/toesd.8 ./opt/man/man1/toesctl.1
check uninstall_env env DESTDIR="$R3" PREFIX=/opt/toes MANDIR=/opt/man \
	make -s BUILD="$BUILD" uninstall
check uninstall_env_removed_all files_are "$R3"

if command -v mandoc >/dev/null 2>&1; then
	check mandoc_lint sh -c "mandoc -T lint -W warning man/toesd.8 man/toesctl.1 >'$OUT' 2>&1"
	check mandoc_lint_quiet no_output
else
	skip mandoc_lint "mandoc is not installed"
fi

# make static without musl-gcc: one line saying so, non-zero, nothing built.
check static_without_musl sh -c "! make -s static MUSL_GCC='$T/no-musl-gcc' BUILD='$T/sb' >'$OUT' 2>&1"
check static_without_musl_says grep -q 'no-musl-gcc not found' "$OUT"
check static_without_musl_nothing_built test ! -e "$T/sb"
if command -v musl-gcc >/dev/null 2>&1; then
	# make -n runs the sub-make, itself with -n: its compile and link lines.
	make -n static BUILD="$T/sb" >"$OUT" 2>&1
	check static_uses_musl grep -q '^musl-gcc .* -o [^ ]*/sb/static/toesd ' "$OUT"
	check static_links_static grep -q -- '-static' "$OUT"
	check static_dry_run_wrote_nothing test ! -e "$T/sb"
else
	skip static_uses_musl "musl-gcc is not installed"
fi
done_testing
