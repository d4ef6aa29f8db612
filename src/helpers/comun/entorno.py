"""Qué variables del entorno pueden cambiar un informe: las que no son de la terminal ni de
`make`. Lo usa la huella del servidor residente (`residente.canal.huella`): dos órdenes con
el mismo entorno así contado dan el mismo informe, y una orden lanzada desde otra pestaña de
la terminal, desde `make` o desde la página corre en el mismo servidor.

Se descartan las variables que cada terminal o pestaña pone a su manera (su tamaño, su
identificador, el programa de terminal) y las que `make` agrega a sus órdenes (las suyas y
las variables de su línea de órdenes, que nombra en MAKEFLAGS). Las demás cuentan todas:
una variable que no está en esta lista y no cambia el informe sólo cuesta arrancar otro
servidor; una que lo cambia y no contara daría otro informe.
"""
from __future__ import annotations

import re

__all__ = ["entorno_que_cuenta"]

_DE_LA_TERMINAL = frozenset({
    "_", "OLDPWD", "PWD", "SHLVL", "TERM", "COLUMNS", "LINES", "COLORTERM", "WINDOWID",
    "SSH_CLIENT", "SSH_CONNECTION", "SSH_TTY", "TERM_PROGRAM", "TERM_PROGRAM_VERSION",
    "TERM_SESSION_ID", "VTE_VERSION", "TMUX", "TMUX_PANE", "STY", "WINDOW", "WT_SESSION",
    "WT_PROFILE_ID", "LC_TERMINAL", "LC_TERMINAL_VERSION"})
_PREFIJOS_DE_LA_TERMINAL = ("GNOME_TERMINAL_", "KONSOLE_", "VSCODE_", "ITERM_")
_DE_MAKE = frozenset({"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "MAKE_TERMOUT",
                      "MAKE_TERMERR", "-*-command-variables-*-"})
# Las variables de la línea de órdenes de make (make app CARPETA=x), después de « -- ».
_SEPARADOR = re.compile(r"(?:^|\s)--(?:\s|$)")
_ASIGNACION = re.compile(r"(?:^|(?<=[^\\]) )([A-Za-z_][A-Za-z0-9_]*)=")


def entorno_que_cuenta(entorno: dict[str, str]) -> dict[str, str]:
    """`entorno` sin las variables de la terminal ni las de `make`."""
    partes = _SEPARADOR.split(entorno.get("MAKEFLAGS", ""), maxsplit=1)
    de_make = set(_ASIGNACION.findall(partes[1])) if len(partes) == 2 else set()
    return {clave: valor for clave, valor in entorno.items()
            if clave not in _DE_LA_TERMINAL and clave not in _DE_MAKE and clave not in de_make
            and not clave.startswith(_PREFIJOS_DE_LA_TERMINAL)}
