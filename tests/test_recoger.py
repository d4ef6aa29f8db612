"""Los formularios llenos, recogidos en un libro nuevo (`informe-poa recoger`,
helpers.formularios.recoleccion y helpers.formularios.recogida): lo de cada formulario que cuenta en
las filas de sus operaciones, y cada caso que se informa sin resolverlo en silencio: una unidad
sin formulario, un formulario fuera de plazo (por recepcion.csv), dos archivos de una unidad,
un formulario alterado, valores no válidos con su copia marcada; el libro del POA intacto, el
libro existente que sólo se reemplaza con --reemplazar, y los códigos de salida.

Los formularios los escribe `informe-poa formularios` con el libro pequeño y la prueba los
llena con openpyxl; lo esperado sale de lo que la prueba escribió y del libro del POA leído.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

import fabrica
import openpyxl
import pandas as pd
import pytest

from helpers.cli import ERROR_DE_ENTRADA, main
from helpers.comun.calendario import cierre_de_mes, meses_del_trimestre
from helpers.entrada.esquemas import MENSAJE_NEGATIVO
from helpers.entrada.recepcion import plazo_de_ejemplo
from helpers.formularios.envio import SalidaNoValida, formularios_de
from helpers.formularios.libro import (
    HOJA_SEGUIMIENTO,
    LARGO_MAXIMO,
    columnas_a_llenar,
    columnas_ejecutado,
    columnas_programado,
    leer_identidad,
)
from helpers.formularios.recogida import HOJA_RECEPCION, recoger
from helpers.formularios.recoleccion import ARCHIVO_RECEPCION, COLUMNAS_REGISTRO, Estado

TRIMESTRE = fabrica.PARAMS_BASE["trimestre"]
GESTION = fabrica.PARAMS_BASE["gestion"]
PLAZO = plazo_de_ejemplo(cierre_de_mes(GESTION, meses_del_trimestre(TRIMESTRE)[-1]))
EJECUTADO = columnas_ejecutado(TRIMESTRE)


def _params(carpeta: Path, libro: Path, **recepcion) -> Path:
    return fabrica.escribir_params(carpeta / "T2.yaml", libro,
                                   recepcion={"plazo": PLAZO.isoformat(), **recepcion})


@pytest.fixture(scope="module")
def emitidos(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    """El libro pequeño y sus formularios del segundo trimestre: (libro, unidad -> archivo)."""
    base = tmp_path_factory.mktemp("emitidos")
    libro = fabrica.escribir_libro_pequeno(base / "poa.xlsx")
    escritos, _ = formularios_de(_params(base, libro), base / "formularios")
    return libro, {ruta.stem: ruta for ruta in escritos}


def _recibir(origen: Path, carpeta: Path, nombre: str | None = None,
             dias_antes_del_plazo: int = 2) -> Path:
    """Copia un formulario a la carpeta de recibidos, con fecha de modificación antes del
    plazo (o después, con días negativos)."""
    carpeta.mkdir(parents=True, exist_ok=True)
    destino = carpeta / (nombre or origen.name)
    shutil.copyfile(origen, destino)
    _fechar(destino, dias_antes_del_plazo)
    return destino


def _fechar(ruta: Path, dias_antes_del_plazo: int) -> None:
    momento = dt.datetime.combine(PLAZO, dt.time(12)) - dt.timedelta(days=dias_antes_del_plazo)
    os.utime(ruta, (momento.timestamp(), momento.timestamp()))


def _filas(hoja, identidad) -> dict[str, int]:
    return {hoja.cell(fila, 1).value: fila for fila in range(
        identidad.fila_encabezado + 1, identidad.fila_encabezado + identidad.operaciones + 1)}


def _columna(hoja, identidad, nombre: str) -> int:
    encabezado = [c.value for c in hoja[identidad.fila_encabezado]]
    return encabezado.index(nombre) + 1


def _llenar(ruta: Path, base: float, *, cambios: dict | None = None) -> dict:
    """Llena lo ejecutado de cada operación (base + posición), la justificación y el medio de
    verificación, como lo haría la unidad, y aplica `cambios` ((código, columna) -> valor);
    devuelve lo escrito: (código, columna) -> valor. Conserva la fecha del archivo."""
    estado = ruta.stat()
    libro = openpyxl.load_workbook(ruta)
    identidad = leer_identidad(libro)
    hoja = libro[HOJA_SEGUIMIENTO]
    escrito = {}
    for i, codigo in enumerate(_filas(hoja, identidad)):
        for j, columna in enumerate(EJECUTADO):
            escrito[codigo, columna] = base + i + j
        escrito[codigo, "justificacion"] = f"=Justificación de {codigo}"
        escrito[codigo, "medio_verificacion"] = f"Informe de {codigo} ({base})"
    escrito.update(cambios or {})
    filas = _filas(hoja, identidad)
    for (codigo, columna), valor in escrito.items():
        celda = hoja.cell(filas[codigo], _columna(hoja, identidad, columna))
        celda.value = valor
        celda.data_type = "s" if isinstance(valor, str) else "n"
    libro.save(ruta)
    os.utime(ruta, (estado.st_atime, estado.st_mtime))
    return escrito


def _operaciones(libro: Path) -> pd.DataFrame:
    tabla = pd.read_excel(libro, sheet_name="operaciones", dtype=object, engine="openpyxl")
    return tabla.set_index("codigo_operacion")


def _registro(libro: Path) -> pd.DataFrame:
    return pd.read_excel(libro, sheet_name=HOJA_RECEPCION, dtype=str, keep_default_na=False,
                         engine="openpyxl")


def _huella(ruta: Path) -> str:
    return hashlib.sha256(ruta.read_bytes()).hexdigest()


def _vacio(valor) -> bool:
    return valor is None or (isinstance(valor, float) and pd.isna(valor)) or valor == ""


def _iguales(a, b) -> bool:
    return (_vacio(a) and _vacio(b)) or a == b


# --------------------------------------------------------------------------------------
# Una recepción con cada caso


@pytest.fixture(scope="module")
def recepcion(emitidos, tmp_path_factory):
    """DGRM llega dos veces (la segunda, `DGRM (1).xlsx`, un día después y con otras cifras);
    DGRB no llega; EMB-PER llega después del plazo según recepcion.csv; CG-ARI llega con lo
    programado de su primera operación cambiado."""
    libro, formularios = emitidos
    base = tmp_path_factory.mktemp("recepcion")
    recibidos = base / "recibidos"
    primero = _recibir(formularios["DGRM"], recibidos, dias_antes_del_plazo=3)
    segundo = _recibir(formularios["DGRM"], recibidos, "DGRM (1).xlsx")
    escritos = {"primero": _llenar(primero, 1), "segundo": _llenar(segundo, 100)}
    escritos["tarde"] = _llenar(_recibir(formularios["EMB-PER"], recibidos), 7)
    alterado = _recibir(formularios["CG-ARI"], recibidos)
    libro_alterado = openpyxl.load_workbook(alterado)
    identidad = leer_identidad(libro_alterado)
    hoja = libro_alterado[HOJA_SEGUIMIENTO]
    columna = _columna(hoja, identidad, columnas_programado(TRIMESTRE)[0])
    celda = hoja.cell(identidad.fila_encabezado + 1, columna)
    celda.value = (celda.value or 0) + 1
    libro_alterado.save(alterado)
    _fechar(alterado, 2)
    escritos["celda_alterada"] = celda.coordinate
    tarde = PLAZO + dt.timedelta(days=1)
    (recibidos / ARCHIVO_RECEPCION).write_text(
        f"codigo_unidad,fecha,hoja_ruta\nEMB-PER,{tarde:%d/%m/%Y},HR-1\n", encoding="utf-8")
    params = _params(base, libro)
    huella_maestro = _huella(libro)
    salida = base / "salida" / "recogido.xlsx"
    recogida = recoger(params, recibidos, salida)
    return {"libro": libro, "params": params, "recibidos": recibidos, "salida": salida,
            "recogida": recogida, "escritos": escritos, "huella_maestro": huella_maestro,
            "tarde": tarde}


def _estado(registro: pd.DataFrame, archivo: str) -> pd.Series:
    filas = registro[registro["archivo"] == archivo]
    assert len(filas) == 1, registro
    return filas.iloc[0]


def test_el_maestro_no_se_toca(recepcion):
    assert _huella(recepcion["libro"]) == recepcion["huella_maestro"]
    assert recepcion["recogida"].libro == recepcion["salida"]


def test_cuenta_el_ultimo_recibido_y_los_dos_se_listan(recepcion):
    registro = _registro(recepcion["salida"])
    assert _estado(registro, "DGRM (1).xlsx")["estado"] == Estado.ACEPTADO
    anterior = _estado(registro, "DGRM.xlsx")
    assert anterior["estado"] == Estado.REEMPLAZADO and "DGRM (1).xlsx" in anterior["motivo"]
    recogido = _operaciones(recepcion["salida"])
    for (codigo, columna), valor in recepcion["escritos"]["segundo"].items():
        assert _iguales(recogido.at[codigo, columna], valor), (codigo, columna)


def test_una_unidad_sin_formulario_es_faltante(recepcion):
    registro = _registro(recepcion["salida"])
    faltantes = registro[registro["estado"] == Estado.FALTANTE]
    assert faltantes["codigo_unidad"].tolist() == ["DGRB"]
    assert faltantes["archivo"].tolist() == [""]


def test_fuera_de_plazo_por_recepcion_csv_no_cuenta(recepcion):
    fila = _estado(_registro(recepcion["salida"]), "EMB-PER.xlsx")
    assert fila["estado"] == Estado.EXCLUIDO_FUERA
    assert fila["hoja_ruta"] == "HR-1"
    assert fila["fecha"].startswith(recepcion["tarde"].isoformat())
    assert f"{PLAZO:%d/%m/%Y}" in fila["motivo"]


def test_lo_que_no_cuenta_queda_sin_reporte(recepcion):
    """Las operaciones de las unidades sin formulario que cuente (fuera de plazo, alterado,
    faltante): lo ejecutado del trimestre vacío (sin reporte), lo demás como en el maestro."""
    maestro, recogido = _operaciones(recepcion["libro"]), _operaciones(recepcion["salida"])
    cuentan = {c for c, _ in recepcion["escritos"]["segundo"]}
    otras = [c for c in maestro.index if c not in cuentan]
    assert {c for c, _ in recepcion["escritos"]["tarde"]} <= set(otras)
    assert maestro.loc[otras, EJECUTADO].notna().any(axis=None)
    assert recogido.loc[otras, EJECUTADO].isna().all(axis=None)
    demas = [c for c in maestro.columns if c not in EJECUTADO]
    pd.testing.assert_frame_equal(recogido.loc[otras, demas], maestro.loc[otras, demas])


def test_un_formulario_alterado_se_rechaza_con_la_celda(recepcion):
    fila = _estado(_registro(recepcion["salida"]), "CG-ARI.xlsx")
    assert fila["estado"] == Estado.ALTERADO
    assert f"celda {recepcion['escritos']['celda_alterada']}" in fila["motivo"]


def test_el_registro_va_a_la_hoja_y_al_csv(recepcion):
    registro = _registro(recepcion["salida"])
    assert registro.columns.tolist() == COLUMNAS_REGISTRO
    csv = pd.read_csv(recepcion["salida"].parent / ARCHIVO_RECEPCION, dtype=str,
                      keep_default_na=False)
    # Las fechas de la revisión son días: la hoja las guarda como fechas, el CSV como
    # AAAA-MM-DD.
    for columna in ("plazo_correccion", "fecha_revision"):
        assert registro[columna].str.len().isin([0, 19]).all()
        registro[columna] = registro[columna].str[:10]
    assert csv["fecha_revision"].ne("").any()
    pd.testing.assert_frame_equal(csv, registro)
    for archivo in ("DGRM.xlsx", "DGRM (1).xlsx", "CG-ARI.xlsx"):
        assert _estado(registro, archivo)["huella"] == _huella(recepcion["recibidos"] / archivo)


def test_el_texto_de_los_formularios_queda_como_texto(recepcion):
    hoja = openpyxl.load_workbook(recepcion["salida"])["operaciones"]
    encabezado = [c.value for c in hoja[1]]
    columna = encabezado.index("justificacion") + 1
    textos = [hoja.cell(f, columna) for f in range(2, hoja.max_row + 1)
              if hoja.cell(f, columna).value]
    assert textos and all(c.data_type == "s" for c in textos)


def test_fuera_de_plazo_incluir_cuenta_y_lo_dice(recepcion, tmp_path):
    params = _params(tmp_path, recepcion["libro"], fuera_de_plazo="incluir")
    recogida = recoger(params, recepcion["recibidos"], tmp_path / "r.xlsx")
    fila = _estado(recogida.registro, "EMB-PER.xlsx")
    assert fila["estado"] == Estado.ACEPTADO_FUERA
    recogido = _operaciones(recogida.libro)
    for (codigo, columna), valor in recepcion["escritos"]["tarde"].items():
        assert _iguales(recogido.at[codigo, columna], valor)


def test_los_mismos_formularios_dan_los_mismos_bytes(recepcion, tmp_path):
    recoger(recepcion["params"], recepcion["recibidos"], tmp_path / "r.xlsx")
    assert _huella(tmp_path / "r.xlsx") == _huella(recepcion["salida"])


# --------------------------------------------------------------------------------------
# Valores no válidos


def test_valores_no_validos_con_el_mensaje_de_validar_y_copia_marcada(emitidos, tmp_path):
    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    _llenar(_recibir(formularios["DGRB"], recibidos), 3)
    invalido = _recibir(formularios["DGRM"], recibidos)
    largo = LARGO_MAXIMO["medio_verificacion"] + 1
    abierto = openpyxl.load_workbook(invalido)
    identidad = leer_identidad(abierto)
    codigo = next(iter(_filas(abierto[HOJA_SEGUIMIENTO], identidad)))
    _llenar(invalido, 1, cambios={(codigo, EJECUTADO[0]): -4,
                                  (codigo, "medio_verificacion"): "x" * largo})
    salida = tmp_path / "salida" / "r.xlsx"
    recogida = recoger(_params(tmp_path, libro), recibidos, salida)
    fila = _estado(recogida.registro, invalido.name)
    assert fila["estado"] == Estado.CON_ERRORES
    rechazado = next(r for r in recogida.recibidos if r.archivo == invalido.name)
    mensajes = {p.columna: (p, str(p)) for p in rechazado.problemas}
    fila_hoja = _filas(abierto[HOJA_SEGUIMIENTO], identidad)[codigo]
    problema, texto = mensajes[EJECUTADO[0]]
    assert texto == (f"{invalido.name}, hoja {HOJA_SEGUIMIENTO}, fila {fila_hoja}, columna "
                     f"{EJECUTADO[0]}: {MENSAJE_NEGATIVO.format(valor='-4')}")
    assert str(largo) in mensajes["medio_verificacion"][1]
    copia = salida.parent / f"{invalido.stem}-revisado.xlsx"
    assert recogida.revisados == [copia]
    marcada = openpyxl.load_workbook(copia)[HOJA_SEGUIMIENTO]
    letra = rechazado.celdas[problema].letra
    assert marcada[f"{letra}{fila_hoja}"].comment is not None
    # Lo de DGRM no se copia: su trimestre queda sin reporte.
    assert _vacio(_operaciones(salida).at[codigo, EJECUTADO[0]])


def test_columnas_que_llena_la_unidad_son_las_que_se_copian():
    assert set(columnas_a_llenar(TRIMESTRE)) == {*EJECUTADO, "justificacion",
                                                 "medio_verificacion"}


# --------------------------------------------------------------------------------------
# La orden


def test_la_orden_no_reemplaza_sin_reemplazar(recepcion, tmp_path, capsys):
    salida = tmp_path / "r.xlsx"
    salida.write_bytes(b"otro")
    orden = ["recoger", str(recepcion["params"]), str(recepcion["recibidos"]),
             "--salida", str(salida)]
    assert main(orden) == ERROR_DE_ENTRADA
    error = capsys.readouterr().err
    assert "--reemplazar" in error and "Traceback" not in error
    assert salida.read_bytes() == b"otro"
    assert main([*orden, "--reemplazar"]) == 0
    assert _huella(salida) == _huella(recepcion["salida"])
    salida_consola = capsys.readouterr().out
    assert "DGRB, (sin formulario): faltante" in salida_consola


def test_un_observaciones_csv_ajeno_no_se_reemplaza_sin_reemplazar(recepcion, tmp_path,
                                                                    capsys):
    salida = tmp_path / "r.xlsx"
    ajeno = tmp_path / "observaciones.csv"
    ajeno.write_text("de otra persona\n", encoding="utf-8")
    orden = ["recoger", str(recepcion["params"]), str(recepcion["recibidos"]),
             "--salida", str(salida)]
    assert main(orden) == ERROR_DE_ENTRADA
    error = capsys.readouterr().err
    assert "observaciones.csv" in error and "Traceback" not in error
    assert ajeno.read_text(encoding="utf-8") == "de otra persona\n" and not salida.exists()


def test_la_orden_nunca_escribe_el_maestro(recepcion, capsys):
    orden = ["recoger", str(recepcion["params"]), str(recepcion["recibidos"]),
             "--salida", str(recepcion["libro"]), "--reemplazar"]
    assert main(orden) == ERROR_DE_ENTRADA
    assert "nunca se reemplaza" in capsys.readouterr().err
    assert _huella(recepcion["libro"]) == recepcion["huella_maestro"]


def test_sin_formularios_que_cuenten_no_escribe_nada(recepcion, tmp_path, capsys):
    vacia = tmp_path / "vacia"
    vacia.mkdir()
    salida = tmp_path / "s" / "r.xlsx"
    assert main(["recoger", str(recepcion["params"]), str(vacia), "--salida",
                 str(salida)]) == ERROR_DE_ENTRADA
    assert "no se escribió" in capsys.readouterr().err
    assert not salida.parent.exists()


def test_la_salida_en_la_carpeta_de_formularios_no_sirve(recepcion):
    with pytest.raises(SalidaNoValida, match="carpeta de los formularios"):
        recoger(recepcion["params"], recepcion["recibidos"],
                recepcion["recibidos"] / "r.xlsx")


# --------------------------------------------------------------------------------------
# Otros formularios que no se toman


def _agregar_fila(ruta: Path) -> str:
    libro = openpyxl.load_workbook(ruta)
    identidad = leer_identidad(libro)
    celda = libro[HOJA_SEGUIMIENTO].cell(identidad.fila_encabezado + identidad.operaciones + 1,
                                         1)
    celda.value = "OP-NUEVA"
    libro.save(ruta)
    return f"celda {celda.coordinate}: se agregó una operación"


def _cambiar_encabezado(ruta: Path) -> str:
    libro = openpyxl.load_workbook(ruta)
    identidad = leer_identidad(libro)
    hoja = libro[HOJA_SEGUIMIENTO]
    columna = _columna(hoja, identidad, EJECUTADO[0])
    celda = hoja.cell(identidad.fila_encabezado, columna)
    celda.value = "lo hecho"
    libro.save(ruta)
    return (f"celda {celda.coordinate}: el encabezado dice «{celda.value}» y debe decir "
            f"«{EJECUTADO[0]}»")


def _sin_identidad(ruta: Path) -> str:
    libro = openpyxl.load_workbook(ruta)
    libro.remove(libro["identidad"])
    libro.save(ruta)
    return "no es un formulario de seguimiento"


def _roto(ruta: Path) -> str:
    ruta.write_bytes(b"no es un libro")
    return "no se puede abrir como libro .xlsx"


@pytest.mark.parametrize("alterar", [_agregar_fila, _cambiar_encabezado, _sin_identidad, _roto])
def test_otros_formularios_alterados(emitidos, tmp_path, alterar):
    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    _llenar(_recibir(formularios["DGRB"], recibidos), 3)
    alterado = _recibir(formularios["DGRM"], recibidos)
    dice = alterar(alterado)
    _fechar(alterado, 2)
    recogida = recoger(_params(tmp_path, libro), recibidos, tmp_path / "s" / "r.xlsx")
    fila = _estado(recogida.registro, alterado.name)
    assert fila["estado"] == Estado.ALTERADO and dice in fila["motivo"], fila["motivo"]
    assert _estado(recogida.registro, "DGRB.xlsx")["estado"] == Estado.ACEPTADO


def test_un_formulario_de_otro_trimestre(emitidos, tmp_path):
    libro, formularios = emitidos
    otro = fabrica.escribir_params(tmp_path / "T1.yaml", libro, trimestre=1,
                                   recepcion={"plazo": PLAZO.isoformat()})
    del_primero, _ = formularios_de(otro, tmp_path / "T1")
    recibidos = tmp_path / "recibidos"
    _llenar(_recibir(formularios["DGRB"], recibidos), 3)
    viejo = _recibir(next(r for r in del_primero if r.stem == "DGRM"), recibidos)
    recogida = recoger(_params(tmp_path, libro), recibidos, tmp_path / "s" / "r.xlsx")
    fila = _estado(recogida.registro, viejo.name)
    assert fila["estado"] == Estado.ALTERADO
    assert f"gestión {GESTION}, trimestre 1;" in fila["motivo"]
    assert f"trimestre {TRIMESTRE}" in fila["motivo"]


def test_un_formulario_emitido_antes_de_una_reformulacion(emitidos, tmp_path):
    """El libro cambió lo programado de una operación después de emitir los formularios:
    el de esa unidad se emitió con otro programa."""
    libro, formularios = emitidos
    tablas = fabrica.tablas_pequenas()
    encabezado = tablas["operaciones"][0]
    columna = columnas_programado(TRIMESTRE)[0]
    fila = next(f for f in tablas["operaciones"][1:]
                if f[encabezado.index("codigo_unidad")] == "DGRM")
    fila[encabezado.index(columna)] = (fila[encabezado.index(columna)] or 0) + 1
    reformulado = fabrica.escribir_libro(tmp_path / "reformulado.xlsx", tablas)
    recibidos = tmp_path / "recibidos"
    _llenar(_recibir(formularios["DGRB"], recibidos), 3)
    _llenar(_recibir(formularios["DGRM"], recibidos), 1)
    recogida = recoger(_params(tmp_path, reformulado), recibidos, tmp_path / "s" / "r.xlsx")
    motivo = _estado(recogida.registro, "DGRM.xlsx")["motivo"]
    assert "se emitió con otro programa" in motivo
    assert f"dice «{fila[encabezado.index(columna)] - 1}»" in motivo


def test_misma_fecha_en_recepcion_csv_desempata_el_archivo(emitidos, tmp_path):
    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    _llenar(_recibir(formularios["DGRM"], recibidos, "DGRM (1).xlsx", 3), 1)
    _llenar(_recibir(formularios["DGRM"], recibidos, "DGRM.xlsx", 2), 5)
    (recibidos / ARCHIVO_RECEPCION).write_text(
        f"codigo_unidad,fecha\nDGRM,{PLAZO:%Y-%m-%d}\n", encoding="utf-8")
    recogida = recoger(_params(tmp_path, libro), recibidos, tmp_path / "s" / "r.xlsx")
    assert _estado(recogida.registro, "DGRM.xlsx")["estado"] == Estado.ACEPTADO
    assert _estado(recogida.registro, "DGRM (1).xlsx")["estado"] == Estado.REEMPLAZADO


def test_recepcion_csv_con_una_fecha_que_no_es_fecha(emitidos, tmp_path, capsys):
    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    _llenar(_recibir(formularios["DGRM"], recibidos), 1)
    (recibidos / ARCHIVO_RECEPCION).write_text("codigo_unidad,fecha\nDGRM,ayer\n",
                                               encoding="utf-8")
    salida = tmp_path / "s" / "r.xlsx"
    assert main(["recoger", str(_params(tmp_path, libro)), str(recibidos), "--salida",
                 str(salida)]) == ERROR_DE_ENTRADA
    error = capsys.readouterr().err
    assert f"{ARCHIVO_RECEPCION}, fila 2, columna fecha: 'ayer' no es una fecha" in error
    assert "Traceback" not in error and not salida.parent.exists()


def test_la_guia_dice_cada_estado_y_cada_columna_del_registro():
    from helpers.rutas import RAIZ

    guia = (RAIZ / "docs" / "formularios.md").read_text(encoding="utf-8")
    estados = [v for k, v in vars(Estado).items() if k.isupper() and isinstance(v, str)]
    for nombre in (*estados, *COLUMNAS_REGISTRO, HOJA_RECEPCION, ARCHIVO_RECEPCION):
        assert f"`{nombre}`" in guia, nombre


def test_formularios_sin_cambios_dan_el_maestro(emitidos, tmp_path):
    """Lo que el formulario trae escrito del maestro vuelve igual: recogidos todos sin
    cambios, la hoja operaciones es la del maestro (más la columna justificacion, vacía)."""
    libro, formularios = emitidos
    for ruta in formularios.values():
        _recibir(ruta, tmp_path / "recibidos")
    recogida = recoger(_params(tmp_path, libro), tmp_path / "recibidos", tmp_path / "r.xlsx")
    assert len(recogida.cuentan()) == len(formularios)
    maestro, recogido = _operaciones(libro), _operaciones(recogida.libro)
    pd.testing.assert_frame_equal(recogido[maestro.columns], maestro)
    assert recogido["justificacion"].isna().all()


def test_la_copia_marcada_no_reemplaza_un_archivo_ajeno(emitidos, tmp_path):
    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    _llenar(_recibir(formularios["DGRB"], recibidos), 3)
    invalido = _recibir(formularios["DGRM"], recibidos)
    codigo = next(iter(_llenar(invalido, 1)))[0]
    _llenar(invalido, 1, cambios={(codigo, EJECUTADO[0]): "mucho"})
    ajeno = tmp_path / "s" / f"{invalido.stem}-revisado.xlsx"
    ajeno.parent.mkdir()
    ajeno.write_bytes(b"de otra persona")
    with pytest.raises(SalidaNoValida, match="no es una copia marcada"):
        recoger(_params(tmp_path, libro), recibidos, tmp_path / "s" / "r.xlsx")
    assert ajeno.read_bytes() == b"de otra persona"
    assert not (tmp_path / "s" / "r.xlsx").exists()


# --------------------------------------------------------------------------------------
# Rondas


def _hoja_tabla(libro: Path, hoja: str) -> pd.DataFrame:
    return pd.read_excel(libro, sheet_name=hoja, dtype=object, engine="openpyxl")


def test_una_ronda_nueva_dice_que_cambio(emitidos, tmp_path, capsys):
    """Ronda 1 con DGRM; llega DGRB y se recoge otra vez sobre el mismo libro (ronda 2): DGRM
    conserva su ronda, DGRB lleva la 2 y sus celdas, vacías antes, van a cambios_por_ronda con
    lo que escribió; una tercera ronda sin nada nuevo no agrega cambios y conserva los de la
    segunda."""
    libro, formularios = emitidos
    recibidos, salida = tmp_path / "recibidos", tmp_path / "salida" / "recogido.xlsx"
    params = _params(tmp_path, libro)
    _llenar(_recibir(formularios["DGRM"], recibidos), 1)
    primera = recoger(params, recibidos, salida)
    assert primera.ronda == 1
    assert set(_registro(salida)["ronda"]) == {"1"}
    assert "cambios_por_ronda" not in openpyxl.load_workbook(salida).sheetnames

    escrito = _llenar(_recibir(formularios["DGRB"], recibidos), 5)
    assert main(["recoger", str(params), str(recibidos), "--salida", str(salida),
                 "--reemplazar"]) == 0
    assert "Ronda 2: cambian las cifras de DGRB" in capsys.readouterr().out
    registro = _registro(salida).set_index("archivo")
    assert registro.at["DGRM.xlsx", "ronda"] == "1"
    assert registro.at["DGRB.xlsx", "ronda"] == "2"
    assert registro.at["DGRB.xlsx", "estado"] == Estado.ACEPTADO
    assert "ronda 2" in registro.at["DGRB.xlsx", "motivo"]
    cambios = _hoja_tabla(salida, "cambios_por_ronda")
    assert set(cambios["codigo_unidad"]) == {"DGRB"}
    assert set(cambios["ronda"]) == {2}
    esperado = {(c, col): v for (c, col), v in escrito.items()}
    assert {(f.codigo_operacion, f.columna): f.despues
            for f in cambios.itertuples()} == esperado
    # Antes: lo ejecutado, vacío (DGRB no había enviado); el medio de verificación, el del
    # maestro.
    assert cambios.loc[cambios["columna"].isin(EJECUTADO), "antes"].isna().all()
    maestro = _operaciones(libro)
    for fila in cambios[cambios["columna"] == "medio_verificacion"].itertuples():
        assert _iguales(fila.antes, maestro.at[fila.codigo_operacion, "medio_verificacion"])

    assert main(["recoger", str(params), str(recibidos), "--salida", str(salida),
                 "--reemplazar"]) == 0
    assert "Ronda 3: ninguna cifra cambió" in capsys.readouterr().out
    pd.testing.assert_frame_equal(_hoja_tabla(salida, "cambios_por_ronda"), cambios)
    assert set(_registro(salida)["ronda"]) == {"1", "2"}


# --------------------------------------------------------------------------------------
# Un formulario guardado por LibreOffice


@pytest.mark.lento
def test_un_formulario_guardado_por_libreoffice_se_recoge(emitidos, tmp_path):
    """La unidad llena su formulario y lo guarda como .xlsx en LibreOffice (sin interfaz):
    se acepta y lo que escribió llega al libro recogido."""
    libro, formularios = emitidos
    lleno = _recibir(formularios["DGRM"], tmp_path / "llenos")
    escrito = _llenar(lleno, 3)
    recibidos = tmp_path / "recibidos"
    guardado = fabrica.guardar_con_libreoffice(lleno, recibidos)
    assert _huella(guardado) != _huella(lleno)
    _fechar(guardado, 1)
    salida = tmp_path / "salida" / "recogido.xlsx"
    recogida = recoger(_params(tmp_path, libro), recibidos, salida)
    assert _estado(recogida.registro, guardado.name)["estado"] == Estado.ACEPTADO
    recogido = _operaciones(salida)
    for (codigo, columna), valor in escrito.items():
        assert _iguales(recogido.at[codigo, columna], valor), (codigo, columna)
