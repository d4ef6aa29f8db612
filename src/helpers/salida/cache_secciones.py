"""La caché de los cuadernos ejecutados: una sección cuyo cuaderno, código, parámetros y
datos leídos no cambiaron no se ejecuta otra vez; se toma el cuaderno ejecutado de la
corrida que los leyó (docs/cache-diseno.md, «Las etapas y sus claves»).

Cada sección se busca en dos pasos, como hacen los sistemas de construcción que descubren
sus dependencias al ejecutar:

1. La **base** (`CacheDeSecciones.base`): el cuaderno de la sección, el código que puede
   importar (`huella_del_codigo`), las versiones de Python y de los paquetes, la copia de
   los parámetros que leen las secciones y, si la hay, la copia del informe anterior.
2. Lo **leído**: la primera vez que se ejecuta con esa base, el kernel anota qué hojas del
   libro y qué tablas calculadas leyó (`helpers.preparacion.tomar_leidas`); se guarda con
   el cuaderno ejecutado el SHA-256 de cada una. En la corrida siguiente, si cada una tiene
   el mismo SHA-256, el cuaderno guardado es el que daría ejecutarla.

La memoria de cálculo lee todo el libro y escribe las tablas de `calculo/`: su entrada en la
caché guarda también esas tablas, y su base incluye cada hoja del libro.
"""
from __future__ import annotations

import json
from pathlib import Path

from helpers.comun.almacen import Almacen, clave
from helpers.rutas import PROGRAMA
from helpers.salida.cache_informe import huella_de_carpeta
from helpers.salida.manifiesto import entorno_actual, sha256_archivo

__all__ = ["CacheDeSecciones", "huella_del_codigo"]

# Lo que orquesta la corrida y no llega a los kernels: las capas de arriba de `preparacion`
# (el contrato de capas de pyproject.toml impide que las de abajo las importen), el servidor
# residente y sus procesos, y la orden que arranca.
_FUERA_DE_LOS_KERNELS = {"salida", "pagina", "residente", "__main__.py", "cli.py", "avisos.py",
                         "consola.py", "lote.py", "informe.py", "revision.py", "__pycache__"}
# Cuántas variantes de lo leído se conservan por base: volver a una cifra anterior (deshacer
# una corrección) también se encuentra.
_VARIANTES = 4
AUSENTE = "ausente"


def huella_del_codigo() -> str:
    """El código que pueden importar los cuadernos: todo `helpers` salvo la orquestación."""
    return huella_de_carpeta(PROGRAMA / "src" / "helpers", _FUERA_DE_LOS_KERNELS)


class CacheDeSecciones:
    """Buscar y guardar los cuadernos ejecutados del informe que se arma en `informe` (la
    carpeta temporal), con los cuadernos fuente en `cuadernos`."""

    def __init__(self, almacen: Almacen, informe: Path, cuadernos: Path,
                 parametros: Path, copia_anterior: Path | None = None) -> None:
        self.almacen = almacen
        self.informe = Path(informe)
        self.cuadernos = Path(cuadernos)
        anterior = (huella_de_carpeta(copia_anterior)
                    if copia_anterior is not None and copia_anterior.is_dir() else "")
        self._comun = clave(huella_del_codigo(),
                            json.dumps(entorno_actual(), sort_keys=True),
                            sha256_archivo(self.informe / parametros), anterior)
        self._huellas: dict[str, str] = {}

    def base(self, seccion) -> str:
        return clave(self._comun, seccion.cuaderno, seccion.archivo,
                     sha256_archivo(self.cuadernos / seccion.cuaderno))

    def _huella(self, relativa: str) -> str:
        """El SHA-256 de un archivo del informe (el libro validado y las tablas no cambian
        una vez escritos: se calcula una vez)."""
        if relativa not in self._huellas:
            ruta = self.informe / relativa
            self._huellas[relativa] = sha256_archivo(ruta) if ruta.is_file() else AUSENTE
        return self._huellas[relativa]

    def restaurar(self, seccion, base: str | None = None) -> bool:
        """Si la caché tiene esta sección ejecutada con lo mismo que leería ahora, la pone en
        `notebooks/` (y lo que escribió, si lo guardó) y devuelve True."""
        entrada = self.almacen.leer_json(base or self.base(seccion))
        for variante in (entrada or {}).get("variantes", []):
            if all(self._huella(r) == h for r, h in variante["leidas"].items()):
                if self._poner(variante):
                    return True
        return False

    def _poner(self, variante: dict) -> bool:
        contenidos = {r: self.almacen.leer(k) for r, k in variante["escritos"].items()}
        if any(datos is None for datos in contenidos.values()):
            return False
        for relativa, datos in contenidos.items():
            destino = self.informe / relativa
            destino.parent.mkdir(parents=True, exist_ok=True)
            destino.write_bytes(datos)
        return True

    def guardar(self, seccion, leidas: list[str], escritos: list[str],
                base: str | None = None) -> None:
        """Guarda la sección recién ejecutada: lo que leyó (rutas relativas a la carpeta del
        informe) y lo que escribió (su cuaderno y, la memoria, sus tablas)."""
        llave = base or self.base(seccion)
        variante = {"leidas": {r: self._huella(r) for r in leidas}, "escritos": {}}
        for relativa in escritos:
            datos = (self.informe / relativa).read_bytes()
            variante["escritos"][relativa] = objeto = clave(datos)
            self.almacen.guardar(objeto, datos)
        anteriores = (self.almacen.leer_json(llave) or {}).get("variantes", [])
        otras = [v for v in anteriores if v["leidas"] != variante["leidas"]]
        self.almacen.guardar_json(llave, {"variantes": [variante, *otras][:_VARIANTES]})

    # La memoria de cálculo: lee el libro entero y escribe `calculo/`.

    def _libro(self) -> list[str]:
        return sorted(p.relative_to(self.informe).as_posix()
                      for p in (self.informe / "entrada" / "datos").glob("*.parquet"))

    def restaurar_memoria(self, memoria) -> bool:
        return self.restaurar(memoria, self._base_memoria(memoria))

    def guardar_memoria(self, memoria, calculo: str = "calculo") -> None:
        escritos = sorted(p.relative_to(self.informe).as_posix()
                          for p in (self.informe / calculo).glob("*.parquet"))
        self.guardar(memoria, self._libro(), [f"notebooks/{memoria.archivo}", *escritos],
                     self._base_memoria(memoria))

    def _base_memoria(self, memoria) -> str:
        return clave(self.base(memoria), *self._libro())
