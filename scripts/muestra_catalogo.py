"""Catálogo de nombres y textos del libro de muestra (MRE, POA 2024).

Lo usa `generar_muestra.py`. Los hechos (siglas, nombres de unidades, misiones y programas)
provienen de los informes de referencia; las descripciones, indicadores y textos de la
narrativa son propios del proyecto.
"""

from __future__ import annotations

import datetime as dt

# --------------------------------------------------------------------------------------
# Acciones de corto plazo: (codigo_acp, descripcion, resultado_esperado, codigo_amp)
# --------------------------------------------------------------------------------------
ACPS = [
    (
        "1",
        (
            "Consolidar la presencia de Bolivia y de su política exterior en los foros "
            "multilaterales, "
            "regionales y de concertación política, con miras al Bicentenario."
        ),
        (
            "Posiciones nacionales presentadas y acompañadas en los principales foros "
            "multilaterales "
            "y regionales."
        ),
        "AMP 1",
    ),
    (
        "2",
        (
            "Fortalecer las relaciones bilaterales de Bolivia como país de integración, con "
            "énfasis en "
            "cooperación, medio ambiente y desarrollo económico y social."
        ),
        "Agenda bilateral activa con acuerdos de cooperación negociados y en seguimiento.",
        "AMP 2",
    ),
    (
        "3",
        (
            "Defender la soberanía territorial y los límites internacionales, y promover la "
            "gestión "
            "compartida y sostenible de las aguas transfronterizas."
        ),
        (
            "Hitos fronterizos inspeccionados y mecanismos bilaterales sobre aguas "
            "transfronterizas en "
            "funcionamiento."
        ),
        "AMP 3",
    ),
    (
        "4",
        (
            "Ampliar el acceso de la oferta boliviana a mercados externos, mejorar la integración "
            "fronteriza y la logística del comercio exterior, y atraer inversión y turismo."
        ),
        (
            "Negociaciones comerciales y de integración avanzadas y oportunidades de exportación "
            "difundidas."
        ),
        "AMP 4",
    ),
    (
        "5",
        (
            "Proteger los derechos de las bolivianas y bolivianos en el exterior, prestar "
            "servicios "
            "consulares y de legalización de calidad y fortalecer la carrera y formación "
            "diplomática."
        ),
        (
            "Connacionales atendidos, trámites de legalización y apostilla resueltos y servidores "
            "públicos capacitados."
        ),
        "AMP 5",
    ),
    (
        "6",
        (
            "Modernizar la gestión administrativa, jurídica, de planificación y de control del "
            "Ministerio para sostener la ejecución de la política exterior."
        ),
        "Procesos de apoyo institucional ejecutados en plazo y con rendición de cuentas.",
        "AMP 6",
    ),
    (
        "7",
        (
            "Ejecutar la política exterior desde las misiones en el exterior en los ámbitos "
            "bilateral, "
            "multilateral, consular y económico-comercial, con atención a la comunidad boliviana."
        ),
        "Misiones diplomáticas y consulares con agenda cumplida y connacionales atendidos.",
        "AMP 6",
    ),
]

# --------------------------------------------------------------------------------------
# Unidades del servicio central: codigo -> (nombre, tipo). Área y ACP salen del CSV publicado.
# --------------------------------------------------------------------------------------
UNIDADES_CENTRALES = {
    "JEF.GAB": ("Jefatura de Gabinete", "Gabinete"),
    "UCS": ("Unidad de Comunicación Social", "Unidad"),
    "UT": ("Unidad de Transparencia", "Unidad"),
    "UAI": ("Unidad de Auditoría Interna", "Unidad"),
    "DGAA": ("Dirección General de Asuntos Administrativos", "Dirección General"),
    "DGP": ("Dirección General de Planificación", "Dirección General"),
    "DGAJ": ("Dirección General de Asuntos Jurídicos", "Dirección General"),
    "AHTMIRREE": (
        (
            "Archivo Histórico de Tratados y Memoria Institucional de las Relaciones "
            "Exteriores del Estado Plurinacional de Bolivia"
        ),
        "Archivo",
    ),
    "CONARE": ("Secretaría de la Comisión Nacional del Refugiado", "Secretaría Técnica"),
    "VRE-DM": ("Gabinete del Viceministerio de Relaciones Exteriores", "Despacho Viceministerial"),
    "DGCEP": ("Dirección General de Ceremonial del Estado Plurinacional", "Dirección General"),
    "DGRB": ("Dirección General de Relaciones Bilaterales", "Dirección General"),
    "DGRM": ("Dirección General de Relaciones Multilaterales", "Dirección General"),
    "DGLAIT": (
        "Dirección General de Límites y Aguas Internacionales Transfronterizas",
        "Dirección General",
    ),
    "VCEI-DM": (
        "Gabinete del Viceministerio de Comercio Exterior e Integración",
        "Despacho Viceministerial",
    ),
    "DGPEACI": (
        ("Dirección General de Promoción de Exportaciones, Acuerdos Comerciales y de Inversión"),
        "Dirección General",
    ),
    "DGIF": ("Dirección General de Integración y Fronteras", "Dirección General"),
    "VGCI-DM": (
        "Gabinete del Viceministerio de Gestión Consular e Institucional",
        "Despacho Viceministerial",
    ),
    "DGE": ("Dirección General de Escalafón", "Dirección General"),
    "DGADP": ("Dirección General de la Academia Diplomática Plurinacional", "Dirección General"),
    "DGALC": ("Dirección General de Apostilla, Legalizaciones y Culto", "Dirección General"),
    "DGAC": ("Dirección General de Asuntos Consulares", "Dirección General"),
    "UGC": ("Unidad de Gestión Consular", "Unidad"),
    "DDC": ("Dirección Departamental Cochabamba", "Dirección Departamental"),
    "DDSC": ("Dirección Departamental Santa Cruz", "Dirección Departamental"),
}

COORDINACION_EXTERIOR = (
    "SE",
    "Coordinación del Servicio Diplomático, Consular y Agregados",
    "Coordinación",
)

# --------------------------------------------------------------------------------------
# Servicio exterior: (codigo, tipo, nombre, lugar usado en los textos)
# --------------------------------------------------------------------------------------
_EMBAJADAS = [
    ("VEN", "Venezuela", "Caracas"),
    ("ARG", "Argentina", "Buenos Aires"),
    ("USA", "Estados Unidos", "Washington D.C."),
    ("VAT", "la Santa Sede", "Ciudad del Vaticano"),
    ("IRN", "Irán", "Teherán"),
    ("TUR", "Türkiye", "Ankara"),
    ("SWE", "Suecia", "Estocolmo"),
    ("ESP", "España", "Madrid"),
    ("PER", "Perú", "Lima"),
    ("URY", "Uruguay", "Montevideo"),
    ("RUS", "Rusia", "Moscú"),
    ("DEU", "Alemania", "Berlín"),
    ("CAN", "Canadá", "Ottawa"),
    ("CRI", "Costa Rica", "San José"),
    ("PAN", "Panamá", "Ciudad de Panamá"),
    ("PRY", "Paraguay", "Asunción"),
    ("ITA", "Italia", "Roma"),
    ("GBR", "Reino Unido", "Londres"),
    ("ECU", "Ecuador", "Quito"),
    ("FRA", "Francia", "París"),
    ("AUT", "Austria", "Viena"),
    ("IND", "India", "Nueva Delhi"),
    ("BRA", "Brasil", "Brasilia"),
    ("KOR", "Corea del Sur", "Seúl"),
    ("MEX", "México", "Ciudad de México"),
    ("BEL", "Bélgica", "Bruselas"),
    ("COL", "Colombia", "Bogotá"),
    ("NLD", "Países Bajos", "La Haya"),
    ("JPN", "Japón", "Tokio"),
    ("CHN", "China", "Beijing"),
    ("CUB", "Cuba", "La Habana"),
    ("NIC", "Nicaragua", "Managua"),
    ("EGY", "Egipto", "El Cairo"),
]
_CONSULADOS = [
    ("TAC", "Tacna", "Perú"),
    ("CUZ", "Cusco", "Perú"),
    ("MUR", "Murcia", "España"),
    ("ILO", "Ilo", "Perú"),
    ("SLA", "Salta", "Argentina"),
    ("VLC", "Valencia", "España"),
    ("ANF", "Antofagasta", "Chile"),
    ("CJC", "Calama", "Chile"),
    ("CRD", "Comodoro Rivadavia", "Argentina"),
    ("ROS", "Rosario", "Argentina"),
    ("JUJ", "San Salvador de Jujuy", "Argentina"),
    ("EPI", "Epitaciolândia", "Brasil"),
    ("BIO", "Bilbao", "España"),
    ("CCX", "Cáceres", "Brasil"),
    ("IQQ", "Iquique", "Chile"),
    ("MDZ", "Mendoza", "Argentina"),
    ("SMZ", "Profesor Salvador Mazza", "Argentina"),
    ("CMG", "Corumbá", "Brasil"),
    ("PUN", "Puno", "Perú"),
    ("ORA", "Orán", "Argentina"),
    ("LAX", "Los Ángeles", "Estados Unidos"),
    ("GJM", "Guajará-Mirim", "Brasil"),
    ("SVQ", "Sevilla", "España"),
    ("LPG", "La Plata", "Argentina"),
    ("COR", "Córdoba", "Argentina"),
    ("LQA", "La Quiaca", "Argentina"),
    ("VDM", "Viedma", "Argentina"),
]
_CONSULADOS_GENERALES = [
    ("ARI", "Arica", "Chile"),
    ("MIL", "Milán", "Italia"),
    ("SAO", "São Paulo", "Brasil"),
    ("MAD", "Madrid", "España"),
    ("LIM", "Lima", "Perú"),
    ("GVA", "Ginebra", "Suiza"),
    ("BUE", "Buenos Aires", "Argentina"),
    ("WAS", "Washington D.C.", "Estados Unidos"),
    ("SCL", "Santiago", "Chile"),
    ("RIO", "Río de Janeiro", "Brasil"),
    ("HOU", "Houston", "Estados Unidos"),
    ("MIA", "Miami", "Estados Unidos"),
    ("BCN", "Barcelona", "España"),
    ("NYC", "Nueva York", "Estados Unidos"),
]
_VICECONSULADOS = [
    ("LMT", "La Matanza", "Argentina"),
    ("GRX", "Granada", "España"),
    ("PIL", "Pilar", "Argentina"),
    ("BGY", "Bérgamo", "Italia"),
]
_REPRESENTACIONES = [
    (
        "OEA",
        (
            "Representación Permanente de Bolivia ante la Organización de los Estados "
            "Americanos (Washington D.C.)"
        ),
        "la Organización de los Estados Americanos",
    ),
    (
        "ONU",
        "Misión Permanente de Bolivia ante las Naciones Unidas (Nueva York)",
        "las Naciones Unidas",
    ),
    (
        "GIN",
        (
            "Representación Permanente de Bolivia ante los Organismos Internacionales con sede "
            "en Ginebra"
        ),
        "los organismos internacionales con sede en Ginebra",
    ),
    ("UNE", "Delegación Permanente de Bolivia ante la UNESCO (París)", "la UNESCO"),
]
_CENTROS_EMISORES = [
    ("MAD", "Centro Emisor de Pasaportes de Madrid (España)", "España"),
    ("WAS", "Centro Emisor de Pasaportes de Washington D.C. (Estados Unidos)", "Estados Unidos"),
]


def unidades_exteriores():
    """Lista de (codigo, tipo, nombre, lugares) de las 84 misiones, en orden estable."""
    filas = []
    for sig, pais, ciudad in _EMBAJADAS:
        filas.append(
            (
                f"EMB-{sig}",
                "Embajada",
                f"Embajada de Bolivia en {pais} ({ciudad})",
                {"pais": pais, "ciudad": ciudad},
            )
        )
    for sig, ciudad, pais in _CONSULADOS:
        filas.append(
            (
                f"CON-{sig}",
                "Consulado",
                f"Consulado de Bolivia en {ciudad} ({pais})",
                {"pais": pais, "ciudad": ciudad},
            )
        )
    for sig, ciudad, pais in _CONSULADOS_GENERALES:
        filas.append(
            (
                f"CG-{sig}",
                "Consulado General",
                f"Consulado General de Bolivia en {ciudad} ({pais})",
                {"pais": pais, "ciudad": ciudad},
            )
        )
    for sig, ciudad, pais in _VICECONSULADOS:
        filas.append(
            (
                f"VC-{sig}",
                "Viceconsulado",
                f"Viceconsulado de Bolivia en {ciudad} ({pais})",
                {"pais": pais, "ciudad": ciudad},
            )
        )
    for sig, nombre, org in _REPRESENTACIONES:
        filas.append((f"RP-{sig}", "Representación Permanente", nombre, {"org": org}))
    for sig, nombre, pais in _CENTROS_EMISORES:
        filas.append((f"CE-{sig}", "Centro Emisor", nombre, {"pais": pais}))
    return filas


# --------------------------------------------------------------------------------------
# Operaciones. Cada operación: (descripcion, indicador, unidad_medida, periodicidad, meta).
# periodicidad: "mensual", "trimestral" (último mes del trimestre), "semestral" (junio y
# diciembre) o una tupla de meses. meta: unidades programadas por mes con programación.
# Las DOS ÚLTIMAS operaciones de cada unidad son mensuales: el ajuste las usa.
# --------------------------------------------------------------------------------------
OPERACIONES_CENTRALES = {
    "JEF.GAB": [
        (
            (
                "Dar seguimiento al cumplimiento de las instrucciones emitidas por el Despacho "
                "Ministerial"
            ),
            "Informes de seguimiento a instrucciones presentados",
            "informe",
            "trimestral",
            1,
        ),
        (
            (
                "Revisar proyectos de normas, convenios y resoluciones puestos a consideración "
                "de la "
                "Ministra"
            ),
            "Proyectos revisados con hoja de ruta concluida",
            "documento",
            "mensual",
            3,
        ),
        (
            (
                "Organizar reuniones de coordinación del gabinete con viceministerios y "
                "direcciones "
                "generales"
            ),
            "Reuniones de coordinación realizadas",
            "reunión",
            "mensual",
            2,
        ),
        (
            "Atender y derivar la correspondencia oficial recibida por el Despacho Ministerial",
            "Notas y hojas de ruta atendidas",
            "nota",
            "mensual",
            20,
        ),
        (
            (
                "Preparar ayudas memoria y notas de posición para las actividades oficiales de la "
                "Ministra"
            ),
            "Ayudas memoria entregadas",
            "documento",
            "mensual",
            8,
        ),
    ],
    "UCS": [
        (
            (
                "Difundir las actividades de la Cancillería en el portal institucional y redes "
                "sociales"
            ),
            "Publicaciones difundidas",
            "publicación",
            "mensual",
            25,
        ),
        (
            "Producir material audiovisual sobre la política exterior y los servicios consulares",
            "Piezas audiovisuales producidas",
            "pieza",
            "mensual",
            4,
        ),
        (
            "Elaborar y distribuir notas de prensa y comunicados oficiales",
            "Notas de prensa emitidas",
            "nota de prensa",
            "mensual",
            12,
        ),
        (
            "Realizar el monitoreo de medios nacionales e internacionales sobre la agenda exterior",
            "Reportes de monitoreo de medios",
            "reporte",
            "mensual",
            20,
        ),
    ],
    "UT": [
        (
            "Gestionar las denuncias por presuntos actos de corrupción presentadas ante la Unidad",
            "Denuncias gestionadas con informe",
            "denuncia",
            "trimestral",
            2,
        ),
        (
            "Organizar las audiencias de rendición pública de cuentas inicial y final",
            "Audiencias de rendición de cuentas realizadas",
            "audiencia",
            (3, 12),
            1,
        ),
        (
            "Atender solicitudes de acceso a la información pública dirigidas al Ministerio",
            "Solicitudes de información atendidas",
            "solicitud",
            "mensual",
            20,
        ),
        (
            "Verificar la actualización de la información publicada en el portal de transparencia",
            "Verificaciones realizadas",
            "verificación",
            "mensual",
            8,
        ),
    ],
    "UAI": [
        (
            (
                "Ejecutar la auditoría de confiabilidad de registros y estados financieros de la "
                "gestión anterior"
            ),
            "Informes de auditoría emitidos",
            "informe",
            (2, 3),
            1,
        ),
        (
            "Realizar las auditorías operativas y especiales previstas en el programa anual",
            "Auditorías concluidas",
            "auditoría",
            "trimestral",
            1,
        ),
        (
            "Efectuar el seguimiento a la implantación de recomendaciones de auditoría",
            "Informes de seguimiento emitidos",
            "informe",
            (5, 11),
            1,
        ),
        (
            "Verificar la presentación de declaraciones juradas de bienes y rentas del personal",
            "Declaraciones verificadas",
            "declaración",
            "mensual",
            15,
        ),
        (
            (
                "Atender requerimientos de la Contraloría General del Estado y de otras "
                "instancias de "
                "control"
            ),
            "Requerimientos atendidos",
            "requerimiento",
            "mensual",
            8,
        ),
    ],
    "DGAA": [
        (
            "Elaborar los reportes de ejecución presupuestaria y los estados financieros",
            "Reportes de ejecución presupuestaria emitidos",
            "reporte",
            "mensual",
            1,
        ),
        (
            "Pagar los haberes y aportes del personal del servicio central",
            "Planillas de haberes pagadas",
            "planilla",
            "mensual",
            2,
        ),
        (
            "Llevar adelante los procesos de contratación del Plan Anual de Contrataciones",
            "Procesos de contratación concluidos",
            "proceso",
            "mensual",
            15,
        ),
        (
            "Administrar los activos fijos y almacenes con inventarios físicos actualizados",
            "Inventarios físicos realizados",
            "inventario",
            "semestral",
            1,
        ),
        (
            "Ejecutar las actividades del programa de prevención y salud ocupacional",
            "Actividades de prevención realizadas",
            "actividad",
            (3, 5, 8, 10),
            1,
        ),
        (
            (
                "Mantener en funcionamiento la infraestructura tecnológica y los sistemas "
                "institucionales"
            ),
            "Informes de soporte y mantenimiento",
            "informe",
            "mensual",
            1,
        ),
        (
            "Tramitar pasajes y viáticos de comisiones oficiales al interior y exterior",
            "Solicitudes de pasajes y viáticos procesadas",
            "solicitud",
            "mensual",
            25,
        ),
        (
            (
                "Registrar las acciones de personal (altas, bajas, permisos y evaluaciones) del "
                "servicio "
                "central"
            ),
            "Acciones de personal registradas",
            "trámite",
            "mensual",
            18,
        ),
    ],
    "DGP": [
        (
            "Elaborar los informes trimestrales de seguimiento y evaluación del POA y presupuesto",
            "Informes de seguimiento presentados",
            "informe",
            "trimestral",
            1,
        ),
        (
            "Formular el anteproyecto de POA y presupuesto de la gestión siguiente",
            "Anteproyecto de POA consolidado",
            "documento",
            (9,),
            1,
        ),
        (
            "Coordinar la evaluación de medio término del Plan Estratégico Institucional",
            "Informes de evaluación del PEI",
            "informe",
            "semestral",
            1,
        ),
        (
            "Emitir certificaciones POA para procesos de contratación y modificaciones",
            "Certificaciones POA emitidas",
            "certificación",
            "mensual",
            20,
        ),
        (
            (
                "Brindar asistencia técnica en planificación a unidades del servicio central y "
                "exterior"
            ),
            "Asistencias técnicas brindadas",
            "asistencia",
            "mensual",
            8,
        ),
    ],
    "DGAJ": [
        (
            (
                "Patrocinar los procesos judiciales y administrativos en los que el Ministerio es "
                "parte"
            ),
            "Informes de seguimiento de procesos",
            "informe",
            "mensual",
            1,
        ),
        (
            "Elaborar proyectos de resoluciones ministeriales y administrativas",
            "Resoluciones elaboradas",
            "resolución",
            "mensual",
            6,
        ),
        (
            (
                "Emitir opinión jurídica sobre tratados y acuerdos internacionales antes de su "
                "suscripción"
            ),
            "Informes jurídicos sobre instrumentos internacionales",
            "informe",
            "mensual",
            3,
        ),
        (
            "Revisar contratos y convenios interinstitucionales del Ministerio",
            "Contratos y convenios revisados",
            "contrato",
            "mensual",
            12,
        ),
        (
            "Absolver consultas legales de las unidades del servicio central y de las misiones",
            "Informes legales emitidos",
            "informe legal",
            "mensual",
            10,
        ),
    ],
    "AHTMIRREE": [
        (
            "Registrar y custodiar los instrumentos internacionales suscritos por el Estado",
            "Instrumentos registrados",
            "instrumento",
            "mensual",
            6,
        ),
        (
            "Conservar y digitalizar el acervo documental histórico de tratados",
            "Expedientes digitalizados",
            "expediente",
            "mensual",
            40,
        ),
        (
            "Atender consultas de investigadores y unidades sobre documentación histórica",
            "Consultas atendidas",
            "consulta",
            "mensual",
            5,
        ),
    ],
    "CONARE": [
        (
            "Realizar entrevistas de elegibilidad a solicitantes de la condición de refugiado",
            "Entrevistas realizadas",
            "entrevista",
            "mensual",
            6,
        ),
        (
            "Organizar las sesiones de la Comisión para resolver solicitudes de refugio",
            "Sesiones realizadas",
            "sesión",
            "trimestral",
            1,
        ),
        (
            "Emitir certificados de identificación provisional a solicitantes y refugiados",
            "Certificados emitidos",
            "certificado",
            "mensual",
            8,
        ),
        (
            "Orientar a personas refugiadas y solicitantes sobre sus derechos y obligaciones",
            "Orientaciones brindadas",
            "orientación",
            "mensual",
            10,
        ),
    ],
    "VRE-DM": [
        (
            "Coordinar la agenda bilateral y multilateral del Viceministerio con sus direcciones",
            "Reuniones de coordinación realizadas",
            "reunión",
            "mensual",
            2,
        ),
        (
            "Participar en los mecanismos de diálogo político de alto nivel",
            "Reuniones de alto nivel atendidas",
            "reunión",
            "trimestral",
            2,
        ),
        (
            "Revisar y despachar la correspondencia diplomática del Viceministerio",
            "Notas diplomáticas despachadas",
            "nota",
            "mensual",
            20,
        ),
        (
            "Elaborar informes de situación sobre temas prioritarios de la política exterior",
            "Informes de situación",
            "informe",
            "mensual",
            5,
        ),
    ],
    "DGCEP": [
        (
            (
                "Organizar el ceremonial de actos oficiales con autoridades nacionales y cuerpo "
                "diplomático"
            ),
            "Actos oficiales organizados",
            "acto",
            "mensual",
            3,
        ),
        (
            (
                "Tramitar beneplácitos y cartas credenciales de los jefes de misión acreditados en "
                "Bolivia"
            ),
            "Trámites de acreditación concluidos",
            "trámite",
            "trimestral",
            2,
        ),
        (
            "Organizar el ceremonial de la visita de Estado prevista para el primer semestre",
            "Visita de Estado organizada",
            "visita",
            (5,),
            1,
        ),
        (
            "Otorgar y renovar credenciales y franquicias del personal diplomático acreditado",
            "Credenciales y franquicias tramitadas",
            "trámite",
            "mensual",
            20,
        ),
        (
            "Gestionar visas oficiales y diplomáticas y llevar su registro",
            "Visas gestionadas",
            "visa",
            "mensual",
            15,
        ),
    ],
    "DGRB": [
        (
            "Preparar visitas oficiales y reuniones bilaterales de autoridades nacionales",
            "Visitas y reuniones bilaterales preparadas",
            "reunión",
            "mensual",
            2,
        ),
        (
            "Negociar y dar seguimiento a acuerdos bilaterales de cooperación",
            "Acuerdos negociados o en seguimiento",
            "acuerdo",
            "trimestral",
            2,
        ),
        (
            "Hacer seguimiento a la agenda bilateral con los países de América del Sur",
            "Informes de seguimiento",
            "informe",
            "mensual",
            1,
        ),
        (
            (
                "Realizar las reuniones de los mecanismos de consultas políticas con países de la "
                "región"
            ),
            "Reuniones de consultas políticas realizadas",
            "reunión",
            (8, 11),
            1,
        ),
        (
            "Elaborar fichas país y notas de posición para autoridades",
            "Fichas y notas elaboradas",
            "documento",
            "mensual",
            10,
        ),
        (
            "Coordinar con las embajadas acreditadas en Bolivia la atención de la agenda bilateral",
            "Notas y comunicaciones gestionadas",
            "nota",
            "mensual",
            18,
        ),
    ],
    "DGRM": [
        (
            (
                "Coordinar la participación de Bolivia en la Asamblea General y órganos de las "
                "Naciones "
                "Unidas"
            ),
            "Participaciones coordinadas",
            "participación",
            "mensual",
            2,
        ),
        (
            "Preparar posiciones nacionales para foros de derechos humanos, desarme y seguridad",
            "Documentos de posición",
            "documento",
            "mensual",
            3,
        ),
        (
            (
                "Elaborar los informes periódicos del Estado ante los órganos de tratados de "
                "derechos "
                "humanos"
            ),
            "Informes de Estado presentados",
            "informe",
            "semestral",
            1,
        ),
        (
            "Dar seguimiento a los compromisos asumidos en organismos regionales",
            "Informes de seguimiento",
            "informe",
            "trimestral",
            1,
        ),
        (
            "Atender requerimientos de información de organismos internacionales",
            "Requerimientos atendidos",
            "requerimiento",
            "mensual",
            8,
        ),
        (
            "Revisar proyectos de resolución y declaraciones negociados en foros multilaterales",
            "Proyectos revisados",
            "documento",
            "mensual",
            12,
        ),
    ],
    "DGLAIT": [
        (
            "Inspeccionar y densificar hitos en la frontera internacional",
            "Campañas de inspección realizadas",
            "campaña",
            "trimestral",
            1,
        ),
        (
            "Participar en las comisiones mixtas de límites con países vecinos",
            "Reuniones de comisión mixta",
            "reunión",
            "semestral",
            1,
        ),
        (
            "Dar seguimiento a la gestión compartida de recursos hídricos transfronterizos",
            "Informes técnicos de recursos hídricos",
            "informe",
            "mensual",
            1,
        ),
        (
            "Emitir informes técnicos de cartografía y límites a solicitud de entidades públicas",
            "Informes técnicos emitidos",
            "informe",
            "mensual",
            5,
        ),
        (
            "Actualizar la base de datos geográfica de límites internacionales",
            "Registros actualizados",
            "registro",
            "mensual",
            12,
        ),
    ],
    "VCEI-DM": [
        (
            "Conducir la agenda de negociaciones comerciales y de integración",
            "Reuniones de negociación conducidas",
            "reunión",
            "mensual",
            2,
        ),
        (
            "Coordinar las comisiones intergubernamentales económico-comerciales",
            "Comisiones realizadas",
            "comisión",
            "semestral",
            1,
        ),
        (
            "Despachar la correspondencia y hojas de ruta del Viceministerio",
            "Notas despachadas",
            "nota",
            "mensual",
            15,
        ),
        (
            "Elaborar reportes de comercio exterior e integración para autoridades",
            "Reportes elaborados",
            "reporte",
            "mensual",
            4,
        ),
    ],
    "DGPEACI": [
        (
            "Organizar la participación boliviana en ferias internacionales y ruedas de negocio",
            "Ferias y ruedas de negocio con participación boliviana",
            "evento",
            "trimestral",
            1,
        ),
        (
            "Negociar y administrar los acuerdos comerciales y de inversión vigentes",
            "Rondas de negociación atendidas",
            "ronda",
            "trimestral",
            1,
        ),
        (
            "Difundir oportunidades de exportación e inversión a través de las misiones",
            "Boletines de oportunidades difundidos",
            "boletín",
            "mensual",
            2,
        ),
        (
            "Atender consultas de exportadores sobre acceso a mercados",
            "Consultas atendidas",
            "consulta",
            "mensual",
            10,
        ),
        (
            "Elaborar perfiles de mercado y fichas comerciales por país",
            "Perfiles y fichas elaborados",
            "documento",
            "mensual",
            6,
        ),
    ],
    "DGIF": [
        (
            "Coordinar los comités de frontera e integración con los países limítrofes",
            "Comités de frontera realizados",
            "comité",
            "semestral",
            1,
        ),
        (
            "Dar seguimiento a los compromisos del Estado en los procesos de integración regional",
            "Informes de seguimiento",
            "informe",
            "trimestral",
            1,
        ),
        (
            "Promover la facilitación del tránsito y la logística por corredores y puertos",
            "Reuniones técnicas sobre logística",
            "reunión",
            "mensual",
            2,
        ),
        (
            (
                "Revisar solicitudes de entidades públicas y privadas sobre actividades en zonas "
                "fronterizas"
            ),
            "Solicitudes revisadas",
            "solicitud",
            "mensual",
            20,
        ),
        (
            "Atender notas y requerimientos de instituciones nacionales sobre temas fronterizos",
            "Notas y requerimientos atendidos",
            "requerimiento",
            "mensual",
            30,
        ),
    ],
    "VGCI-DM": [
        (
            "Supervisar la gestión consular y de servicios a la ciudadanía",
            "Informes de supervisión",
            "informe",
            "trimestral",
            1,
        ),
        (
            "Coordinar con las oficinas consulares la atención de connacionales en emergencias",
            "Reuniones de coordinación",
            "reunión",
            "mensual",
            2,
        ),
        (
            "Despachar la correspondencia oficial del Viceministerio",
            "Notas despachadas",
            "nota",
            "mensual",
            18,
        ),
        (
            "Revisar y aprobar los informes y hojas de ruta de las direcciones dependientes",
            "Informes y hojas de ruta revisados",
            "informe",
            "mensual",
            12,
        ),
    ],
    "DGE": [
        (
            "Administrar el escalafón diplomático y los procesos de rotación del personal",
            "Procesos de rotación atendidos",
            "proceso",
            "trimestral",
            2,
        ),
        (
            "Actualizar los legajos del personal del servicio exterior",
            "Legajos actualizados",
            "legajo",
            "mensual",
            30,
        ),
        (
            "Emitir certificaciones de trayectoria y servicios del personal diplomático",
            "Certificaciones emitidas",
            "certificación",
            "mensual",
            10,
        ),
        (
            "Elaborar informes técnicos sobre designaciones y traslados",
            "Informes técnicos elaborados",
            "informe",
            "mensual",
            6,
        ),
    ],
    "DGADP": [
        (
            "Desarrollar el programa de formación diplomática y las conferencias académicas",
            "Módulos y conferencias desarrollados",
            "módulo",
            "mensual",
            3,
        ),
        (
            "Organizar cursos de capacitación para servidores del servicio central y exterior",
            "Cursos realizados",
            "curso",
            "trimestral",
            2,
        ),
        (
            "Atender solicitudes de admisión e información académica de postulantes",
            "Solicitudes atendidas",
            "solicitud",
            "mensual",
            15,
        ),
        (
            "Emitir certificados de aprobación de cursos y programas académicos",
            "Certificados emitidos",
            "certificado",
            "mensual",
            20,
        ),
    ],
    "DGALC": [
        (
            "Apostillar documentos públicos bolivianos para su uso en el exterior",
            "Documentos apostillados",
            "documento",
            "mensual",
            2500,
        ),
        (
            "Legalizar documentos nacionales y extranjeros en la oficina central de La Paz",
            "Documentos legalizados",
            "documento",
            "mensual",
            1800,
        ),
        (
            "Registrar y renovar la personalidad jurídica de entidades religiosas y de creencias",
            "Registros de culto atendidos",
            "trámite",
            "mensual",
            8,
        ),
        (
            "Atender reclamos y consultas de usuarios del servicio de apostilla",
            "Reclamos y consultas atendidos",
            "consulta",
            "mensual",
            15,
        ),
    ],
    "DGAC": [
        (
            "Gestionar la repatriación de connacionales en situación de vulnerabilidad",
            "Casos de repatriación gestionados",
            "caso",
            "mensual",
            3,
        ),
        (
            "Coordinar el programa de documentación y apoyo a bolivianos en el exterior",
            "Informes de ejecución del programa",
            "informe",
            "trimestral",
            1,
        ),
        (
            "Actualizar la normativa y los procedimientos consulares",
            "Instructivos consulares emitidos",
            "instructivo",
            "semestral",
            1,
        ),
        (
            "Atender los casos de protección consular derivados por las misiones",
            "Casos de protección atendidos",
            "caso",
            "mensual",
            12,
        ),
        (
            "Emitir circulares de orientación a las oficinas consulares",
            "Circulares emitidas",
            "circular",
            "mensual",
            4,
        ),
    ],
    "UGC": [
        (
            "Consolidar la recaudación consular y su registro contable",
            "Reportes de recaudación consolidados",
            "reporte",
            "mensual",
            1,
        ),
        (
            "Conciliar los ingresos consulares reportados por las misiones",
            "Conciliaciones realizadas",
            "conciliación",
            "mensual",
            15,
        ),
        (
            "Distribuir y controlar los valores consulares enviados a las oficinas del exterior",
            "Remesas de valores controladas",
            "remesa",
            "mensual",
            6,
        ),
    ],
    "DDC": [
        (
            "Legalizar y apostillar documentos en la oficina departamental de Cochabamba",
            "Documentos legalizados y apostillados",
            "documento",
            "mensual",
            600,
        ),
        (
            "Orientar al público sobre requisitos de legalización y apostilla",
            "Orientaciones registradas",
            "orientación",
            "mensual",
            20,
        ),
        (
            "Remitir reportes de trámites y recaudación a la Dirección General",
            "Reportes remitidos",
            "reporte",
            "mensual",
            4,
        ),
    ],
    "DDSC": [
        (
            "Legalizar y apostillar documentos en la oficina departamental de Santa Cruz",
            "Documentos legalizados y apostillados",
            "documento",
            "mensual",
            900,
        ),
        (
            "Atender consultas de usuarios y entidades sobre trámites de legalización",
            "Consultas atendidas",
            "consulta",
            "mensual",
            20,
        ),
        (
            "Coordinar con las entidades emisoras la verificación de firmas de documentos",
            "Verificaciones realizadas",
            "verificación",
            "mensual",
            10,
        ),
    ],
}

# Casos especiales (posiciones dentro de las listas de arriba, base 1).
NO_APLICA = (
    "DGCEP",
    3,
    (
        "La visita de Estado fue postergada por el país visitante sin fecha en la gestión; "
        "se excluye de la evaluación según nota DGCEP-NE-118/2024."
    ),
)
SIN_PROGRAMACION = ("DGRB", 4, 5)  # unidad, operación, mes con ejecución no programada

# --------------------------------------------------------------------------------------
# Reformulación del POA (hoja reformulaciones): una, aprobada en febrero; rige desde el
# corte de febrero. Las posiciones de las operaciones son las de las listas de arriba.
# --------------------------------------------------------------------------------------
REFORMULACION = (1, "RM N° 027/2024", dt.date(2024, 2, 16))  # numero, resolucion, fecha

# Operaciones nuevas (alta): ya están en las listas de arriba, con metas desde marzo, y
# cuentan en el ajuste del avance como cualquier otra. (unidad, posición, observacion)
ALTAS = [
    (
        "DGP",
        3,
        "Evaluación de medio término del PEI 2021-2025 requerida por el Ministerio de "
        "Planificación del Desarrollo.",
    ),
    (
        "DGRM",
        3,
        "Informes periódicos comprometidos ante los comités de tratados de derechos humanos "
        "para la gestión.",
    ),
    (
        "DGAC",
        3,
        "Reemplaza el relevamiento de la normativa consular: los instructivos se actualizan "
        "directamente.",
    ),
]

# Operaciones quitadas (baja): filas adicionales de la hoja operaciones, con meta y logro
# sólo en enero (desde febrero están fuera del POA). (unidad, descripcion, indicador,
# unidad_medida, meta de enero, observacion)
BAJAS = [
    (
        "DGAA",
        (
            "Implementar el sistema de gestión documental digital en las direcciones del "
            "servicio central"
        ),
        "Direcciones con el sistema implementado",
        "dirección",
        2,
        "La implementación pasa a la Agencia de Gobierno Electrónico y Tecnologías de "
        "Información y Comunicación (AGETIC), en el marco del programa de gobierno digital.",
    ),
    (
        "DGAC",
        "Relevar la normativa consular vigente para elaborar su diagnóstico",
        "Informes de relevamiento normativo",
        "informe",
        2,
        "Se integra en la actualización de la normativa y los procedimientos consulares "
        "que incorpora esta reformulación.",
    ),
    (
        "SE",
        "Habilitar el sistema de citas en línea para trámites consulares en misiones piloto",
        "Misiones con citas en línea habilitadas",
        "misión",
        3,
        "La habilitación de citas en línea queda a cargo de la Dirección General de Asuntos "
        "Consulares, para todas las oficinas consulares a la vez.",
    ),
]

# Reprogramaciones: la meta de un mes pasa a otro (el total del año no cambia). La hoja
# operaciones tiene la programación nueva. (unidad, posición, mes anterior, mes nuevo,
# observacion)
REPROGRAMACIONES = [
    (
        "UAI",
        3,
        4,
        5,
        "El seguimiento se realiza tras recibir el informe de la Contraloría General del "
        "Estado.",
    ),
    ("DGAA", 5, 6, 5, "La campaña de salud ocupacional se adelanta a mayo."),
    (
        "DGLAIT",
        2,
        4,
        6,
        "La reunión de la comisión mixta de límites se posterga a junio a pedido de la "
        "contraparte.",
    ),
    (
        "DGP",
        2,
        10,
        9,
        "El anteproyecto se adelanta a septiembre por el calendario de formulación "
        "presupuestaria.",
    ),
]

# Modificación presupuestaria: en este mes, la línea TGN más grande de cada área recibe
# (o cede) la diferencia entre el vigente del primer trimestre publicado y el actual.
MES_MODIFICACION_PRESUPUESTARIA = 5

OPERACIONES_SE = [
    (
        "Consolidar la programación y el seguimiento del POA de las misiones en el exterior",
        "Informes consolidados de seguimiento",
        "informe",
        "trimestral",
        1,
    ),
    (
        "Procesar las planillas de haberes del personal del servicio exterior",
        "Planillas procesadas",
        "planilla",
        "mensual",
        3,
    ),
    (
        "Transferir los recursos de funcionamiento a embajadas, consulados y representaciones",
        "Transferencias realizadas",
        "transferencia",
        "mensual",
        85,
    ),
    (
        "Dotar de conectividad y equipamiento informático a las misiones",
        "Misiones con fortalecimiento tecnológico",
        "misión",
        "trimestral",
        4,
    ),
    (
        "Supervisar el funcionamiento de los centros emisores de pasaportes",
        "Informes de supervisión",
        "informe",
        "semestral",
        1,
    ),
    (
        "Revisar las rendiciones de cuentas remitidas por las misiones",
        "Rendiciones revisadas",
        "rendición",
        "mensual",
        60,
    ),
    (
        "Atender los requerimientos administrativos de las misiones en el exterior",
        "Requerimientos atendidos",
        "requerimiento",
        "mensual",
        25,
    ),
]

# Plantillas por tipo de misión: (fijas, de_ajuste). meta: (mínimo, máximo) por mes.
_FIJAS_EMBAJADA = [
    (
        "Sostener reuniones con autoridades de {pais} para impulsar la agenda bilateral",
        "Reuniones bilaterales sostenidas",
        "reunión",
        "mensual",
        (2, 4),
    ),
    (
        (
            "Difundir la política exterior del Estado Plurinacional ante medios, academia y "
            "sociedad "
            "civil de {pais}"
        ),
        "Actividades de difusión realizadas",
        "actividad",
        "mensual",
        (1, 3),
    ),
    (
        "Organizar actividades culturales que muestren la diversidad de Bolivia en {ciudad}",
        "Actividades culturales organizadas",
        "evento",
        "trimestral",
        (1, 2),
    ),
    (
        "Promover la oferta exportable y el turismo boliviano ante empresas y cámaras de {pais}",
        "Acciones de promoción comercial",
        "acción",
        "trimestral",
        (2, 4),
    ),
    (
        "Gestionar cooperación técnica y financiera con instituciones de {pais}",
        "Gestiones de cooperación realizadas",
        "gestión",
        "trimestral",
        (1, 3),
    ),
    (
        "Presentar los informes financieros y de rendición de cuentas de la misión",
        "Informes financieros presentados",
        "informe",
        "mensual",
        (1, 1),
    ),
]
_AJUSTE_EMBAJADA = [
    (
        "Tramitar notas diplomáticas y comunicaciones oficiales con las autoridades de {pais}",
        "Notas diplomáticas tramitadas",
        "nota",
        "mensual",
        (12, 25),
    ),
    (
        "Remitir reportes de coyuntura política, económica y social de {pais}",
        "Reportes de coyuntura remitidos",
        "reporte",
        "mensual",
        (4, 8),
    ),
    (
        "Atender trámites de visas y documentos en la sección consular de la Embajada",
        "Trámites atendidos",
        "trámite",
        "mensual",
        (15, 40),
    ),
]
_FIJAS_CONSULAR = [
    (
        (
            "Emitir pasaportes y documentos de viaje a connacionales residentes en la "
            "circunscripción "
            "de {ciudad}"
        ),
        "Pasaportes y documentos de viaje emitidos",
        "trámite",
        "mensual",
        None,
    ),
    (
        "Realizar actos de registro civil y legalizaciones para la comunidad boliviana en {ciudad}",
        "Actos de registro civil y legalizaciones realizados",
        "trámite",
        "mensual",
        None,
    ),
    (
        "Llevar a cabo jornadas de consulado móvil en localidades alejadas de {ciudad}",
        "Jornadas de consulado móvil realizadas",
        "jornada",
        "trimestral",
        (1, 2),
    ),
    (
        "Presentar los informes de recaudación consular y de rendición de cuentas",
        "Informes de recaudación presentados",
        "informe",
        "mensual",
        (1, 1),
    ),
    (
        "Organizar actividades de vinculación con la comunidad boliviana residente en {ciudad}",
        "Actividades con la comunidad realizadas",
        "actividad",
        "trimestral",
        (1, 3),
    ),
]
_AJUSTE_CONSULAR = [
    (
        (
            "Brindar asistencia y protección consular a connacionales en situación de "
            "vulnerabilidad "
            "en {ciudad}"
        ),
        "Casos de asistencia atendidos",
        "caso",
        "mensual",
        (6, 15),
    ),
    (
        "Actualizar el registro consular de bolivianos residentes en la circunscripción",
        "Registros consulares actualizados",
        "registro",
        "mensual",
        (15, 40),
    ),
    (
        "Visitar centros penitenciarios, hospitales y albergues con connacionales en {ciudad}",
        "Visitas realizadas",
        "visita",
        "mensual",
        (4, 8),
    ),
]
_FIJAS_REPRESENTACION = [
    (
        "Participar en las sesiones de los órganos de {org}",
        "Sesiones con participación boliviana",
        "sesión",
        "mensual",
        (2, 4),
    ),
    (
        "Negociar proyectos de resolución de interés nacional en {org}",
        "Proyectos de resolución negociados",
        "documento",
        "trimestral",
        (1, 3),
    ),
    (
        "Presentar los informes financieros y de rendición de cuentas de la Representación",
        "Informes financieros presentados",
        "informe",
        "mensual",
        (1, 1),
    ),
]
_AJUSTE_REPRESENTACION = [
    (
        "Presentar intervenciones y declaraciones con la posición del Estado en {org}",
        "Intervenciones realizadas",
        "intervención",
        "mensual",
        (6, 12),
    ),
    (
        "Remitir reportes de seguimiento de las negociaciones en curso en {org}",
        "Reportes remitidos",
        "reporte",
        "mensual",
        (4, 8),
    ),
    (
        "Concertar posiciones comunes con grupos regionales y de negociación en {org}",
        "Reuniones de concertación",
        "reunión",
        "mensual",
        (4, 10),
    ),
]
_FIJAS_CENTRO = [
    (
        "Emitir pasaportes electrónicos para connacionales residentes en {pais}",
        "Pasaportes emitidos",
        "pasaporte",
        "mensual",
        (800, 1500),
    ),
    (
        "Controlar el inventario de libretas y la seguridad del material de emisión",
        "Informes de inventario",
        "informe",
        "mensual",
        (1, 1),
    ),
]
_AJUSTE_CENTRO = [
    (
        "Remitir lotes de pasaportes emitidos a los consulados de {pais}",
        "Envíos realizados",
        "envío",
        "mensual",
        (8, 15),
    ),
    (
        "Resolver observaciones y reclamos de usuarios del servicio de emisión",
        "Reclamos resueltos",
        "reclamo",
        "mensual",
        (10, 20),
    ),
    (
        "Brindar soporte técnico a los consulados para la captura de datos biométricos",
        "Asistencias técnicas brindadas",
        "asistencia",
        "mensual",
        (5, 10),
    ),
]

PLANTILLAS_EXTERIOR = {
    "Embajada": (_FIJAS_EMBAJADA, _AJUSTE_EMBAJADA),
    "Consulado": (_FIJAS_CONSULAR, _AJUSTE_CONSULAR),
    "Consulado General": (_FIJAS_CONSULAR, _AJUSTE_CONSULAR),
    "Viceconsulado": (_FIJAS_CONSULAR, _AJUSTE_CONSULAR),
    "Representación Permanente": (_FIJAS_REPRESENTACION, _AJUSTE_REPRESENTACION),
    "Centro Emisor": (_FIJAS_CENTRO, _AJUSTE_CENTRO),
}
# Volumen mensual de trámites de las oficinas consulares (plantillas con meta None).
VOLUMEN_CONSULAR = {
    "Consulado": (40, 200),
    "Consulado General": (150, 400),
    "Viceconsulado": (30, 80),
}

# Operación con un mes sin reporte (mayo en blanco): primera operación de esta misión.
SIN_REPORTE = ("CON-ORA", 1, 5)

# Medio de verificación según la unidad de medida.
MEDIOS = {
    "informe": "Informe {u}-INF-{n:03d}/2024",
    "informe legal": "Informe legal {u}-IL-{n:03d}/2024",
    "reporte": "Reporte {u}-REP-{n:03d}/2024",
    "nota": "Registro de notas {u}-NE/2024",
    "reunión": "Actas de reunión {u}-ACT/2024",
    "sesión": "Actas de sesión {u}-ACT/2024",
    "comisión": "Acta de comisión {u}-ACT/2024",
    "comité": "Acta de comité {u}-ACT/2024",
    "trámite": "Reporte mensual de trámites {u}/2024",
    "pasaporte": "Reporte de emisión de pasaportes {u}/2024",
    "documento": "Hojas de ruta concluidas {u}/2024",
    "certificado": "Registro de certificados {u}/2024",
    "certificación": "Registro de certificaciones {u}/2024",
    "solicitud": "Registro de solicitudes {u}/2024",
    "consulta": "Registro de consultas {u}/2024",
    "caso": "Registro de casos {u}/2024",
    "planilla": "Planillas aprobadas {u}/2024",
    "evento": "Informe {u}-INF-{n:03d}/2024 con memoria fotográfica",
    "actividad": "Informe {u}-INF-{n:03d}/2024 con memoria fotográfica",
}
MEDIO_POR_DEFECTO = "Informe {u}-INF-{n:03d}/2024"

# --------------------------------------------------------------------------------------
# Presupuesto: nombre del programa de cada categoría programática y fuente.
# --------------------------------------------------------------------------------------
PROGRAMAS = {
    "570 0 004": "Ceremonial y Protocolo del Estado",
    "570 0 003": "Relaciones Multilaterales",
    "560 0 002": "Gabinete del Viceministerio de Relaciones Exteriores",
    "560 0 005": "Relaciones Bilaterales",
    "500 0 002": "Límites y Aguas Internacionales Transfronterizas",
    "130 0 001": "Gabinete del Viceministerio de Comercio Exterior e Integración",
    "130 0 002": "Promoción de Exportaciones, Acuerdos Comerciales y de Inversión",
    "130 0 004": "Integración y Fronteras",
    "540 0 003": "Gabinete del Viceministerio de Gestión Consular e Institucional",
    "540 0 001": "Asuntos Consulares",
    "540 0 006": "Programa de Documentación y Apoyo a Ciudadanos Bolivianos en el Exterior",
    "540 0 002": "Gestoría Consular Ley 3108",
    "510 0 001": "Academia Diplomática Plurinacional",
    "530 0 006": "Apostilla, Legalizaciones y Cultos",
    "530 0 002": "Legalizaciones Cochabamba",
    "530 0 003": "Legalizaciones Santa Cruz",
    "530 0 007": "Gestión de Escalafón y Personal",
    "000 0 010": "Gabinete de la Señora Ministra",
    "000 0 001": "Asuntos Administrativos",
    "000 0 013": "Actividades de Prevención y Salud Institucional",
    "000 0 093": "Personas con Discapacidad",
    "000 0 003": "Planificación",
    "000 0 002": "Asuntos Jurídicos",
    "530 0 004": "Consejo Nacional del Refugiado - CONARE",
    "000 0 009": "Archivo Histórico de Tratados y Memoria Institucional de Relaciones Exteriores",
    "000 0 007": "Transparencia Institucional",
    "000 0 006": "Comunicación Social",
    "000 0 005": "Control Posterior",
    "550 0 001": "Coordinadora del Servicio Diplomático, Consular y Agregados",
    "550 0 002": "Servicio Diplomático y Representaciones Permanentes - Gastos de Funcionamiento",
    "550 0 003": "Oficinas Consulares - Gastos de Funcionamiento",
    "550 0 004": "Centro Emisor de Pasaportes - España",
    "550 0 005": "Centro Emisor de Pasaportes - Estados Unidos",
    "550 0 006": "Fortalecimiento Tecnológico para el Servicio Exterior",
    "550 0 093": "Personas con Discapacidad - Servicio Exterior",
}
FUENTE_TGN = "10 TGN"
FUENTE_RE = "20 Recursos Específicos"
# Programas financiados con lo que recaudan por sus servicios (aranceles consulares y de
# legalización).
CATEGORIAS_RECURSOS_ESPECIFICOS = {"540 0 002", "530 0 006", "530 0 002", "530 0 003"}

# --------------------------------------------------------------------------------------
# Histórico (gestiones 2022 y 2023): avance físico de los informes de cierre; la ejecución
# financiera es ilustrativa.
# --------------------------------------------------------------------------------------
HISTORICO = [
    (2022, "ADM_CENTRAL", 98.00, 86.42),
    (2022, "VRE", 33.33, 71.25),
    (2022, "VCEI", 66.67, 68.94),
    (2022, "VGCI", 86.00, 90.12),
    (2022, "SERV_EXTERIOR", 76.85, 93.70),
    (2023, "ADM_CENTRAL", 91.57, 89.15),
    (2023, "VRE", 97.55, 84.63),
    (2023, "VCEI", 99.75, 80.37),
    (2023, "VGCI", 96.67, 92.48),
    (2023, "SERV_EXTERIOR", 79.79, 95.21),
]

# --------------------------------------------------------------------------------------
# Áreas organizacionales: (area, nombre, sigla)
# --------------------------------------------------------------------------------------
AREAS = [
    ("ADM_CENTRAL", "Administración Central", "Adm. Central"),
    ("VRE", "Viceministerio de Relaciones Exteriores", "VRE"),
    ("VCEI", "Viceministerio de Comercio Exterior e Integración", "VCEI"),
    ("VGCI", "Viceministerio de Gestión Consular e Institucional", "VGCI"),
    ("SERV_EXTERIOR", "Servicio Exterior: embajadas, consulados y misiones", "Serv. Exterior"),
]

# --------------------------------------------------------------------------------------
# Narrativa: (codigo_unidad, trimestre, tipo, texto, codigo_acp o None)
# --------------------------------------------------------------------------------------
NARRATIVA = [
    # --- Administración Central ---
    (
        "DGAA",
        1,
        "logro",
        (
            "Se cerraron los estados financieros de la gestión anterior en plazo y "
            "se pagaron las planillas de enero a marzo sin observaciones."
        ),
        "6",
    ),
    (
        "DGAJ",
        1,
        "dificultad",
        (
            "La carga de procesos judiciales heredados y la rotación de "
            "abogados retrasaron la emisión de informes legales en el trimestre."
        ),
        "6",
    ),
    (
        "DGP",
        1,
        "recomendacion",
        (
            "Reforzar el acompañamiento a las unidades con menor avance para "
            "que ajusten su programación en la reformulación del POA."
        ),
        None,
    ),
    (
        "DGAA",
        1,
        "logro",
        (
            "Se completó la contratación del personal eventual del año y se renovaron los "
            "contratos de servicios básicos de todas las oficinas centrales."
        ),
        "6",
    ),
    (
        "DGP",
        2,
        "logro",
        (
            "El POA modificado quedó aprobado y las unidades cargaron su seguimiento "
            "del semestre dentro del plazo fijado."
        ),
        "6",
    ),
    (
        "CONARE",
        2,
        "dificultad",
        (
            "Las sesiones de la Comisión dependen de la disponibilidad de "
            "instituciones externas, lo que postergó la resolución de varias solicitudes de "
            "refugio."
        ),
        "6",
    ),
    (
        "DGAA",
        2,
        "recomendacion",
        (
            "Acelerar los procesos de contratación del segundo semestre "
            "para evitar la concentración del gasto en el último trimestre."
        ),
        None,
    ),
    (
        "UCS",
        2,
        "logro",
        (
            "Se difundieron en medios y redes sociales las actividades de la Cancillería "
            "del semestre, con boletines semanales para la prensa nacional."
        ),
        "6",
    ),
    (
        "DGAA",
        2,
        "dificultad",
        (
            "Los procesos de contratación de bienes y servicios previstos para el primer "
            "semestre se adjudicaron recién en junio, de modo que su pago se traslada al "
            "segundo semestre."
        ),
        "6",
    ),
    (
        "DGP",
        2,
        "recomendacion",
        (
            "Que cada unidad con ejecución financiera en rojo presente a la unidad de "
            "planificación, hasta el 31 de julio, un cronograma de gasto para el segundo "
            "semestre."
        ),
        None,
    ),
    (
        "UAI",
        3,
        "logro",
        (
            "Se concluyeron las auditorías operativas previstas y se informó sobre el "
            "grado de implantación de recomendaciones anteriores."
        ),
        "6",
    ),
    (
        "DGAA",
        3,
        "dificultad",
        (
            "Algunas convocatorias de bienes se declararon desiertas y debieron "
            "relanzarse, lo que desplazó pagos hacia el último trimestre."
        ),
        None,
    ),
    (
        "DGP",
        3,
        "recomendacion",
        (
            "Anticipar la formulación del anteproyecto de POA de la gestión "
            "siguiente y vincularlo con los resultados del PEI."
        ),
        None,
    ),
    (
        "JEF.GAB",
        4,
        "logro",
        (
            "El Despacho dio seguimiento a todas las instrucciones emitidas en el "
            "año y cerró las hojas de ruta pendientes."
        ),
        "6",
    ),
    (
        "DGAJ",
        4,
        "dificultad",
        (
            "La revisión de convenios de fin de gestión se acumuló en diciembre "
            "y exigió priorizar los de mayor impacto."
        ),
        None,
    ),
    (
        "DGP",
        4,
        "recomendacion",
        (
            "Institucionalizar el registro mensual de la ejecución física para "
            "que el cierre anual no dependa de reportes extemporáneos."
        ),
        None,
    ),
    # --- Viceministerio de Relaciones Exteriores ---
    (
        "DGRM",
        1,
        "logro",
        (
            "Bolivia presentó su posición en las sesiones iniciales de los órganos "
            "de derechos humanos y acompañó resoluciones de interés nacional."
        ),
        "1",
    ),
    (
        "VRE-DM",
        1,
        "dificultad",
        (
            "Los cambios en el calendario de reuniones de alto nivel obligaron "
            "a reprogramar parte de la agenda bilateral."
        ),
        "2",
    ),
    (
        "VRE-DM",
        1,
        "recomendacion",
        (
            "Revisar las metas de las operaciones que dependen de "
            "contrapartes externas y programarlas con márgenes realistas."
        ),
        None,
    ),
    (
        "DGRB",
        1,
        "logro",
        (
            "Se realizaron reuniones de consultas políticas con dos países vecinos y se "
            "acordó la agenda bilateral del año."
        ),
        "2",
    ),
    (
        "DGLAIT",
        1,
        "logro",
        (
            "Se aprobó con las comisiones mixtas el plan anual de inspección y "
            "mantenimiento de hitos fronterizos."
        ),
        "3",
    ),
    (
        "DGRM",
        1,
        "dificultad",
        (
            "Los gastos de las delegaciones del trimestre los cubrieron los organismos "
            "anfitriones, por lo que el presupuesto propio de la Dirección no registró "
            "gasto."
        ),
        "1",
    ),
    (
        "DGRB",
        2,
        "logro",
        (
            "Se adelantó a mayo una reunión de consultas políticas prevista para el "
            "segundo semestre, a pedido de la contraparte."
        ),
        "2",
    ),
    (
        "DGRM",
        2,
        "logro",
        (
            "La delegación nacional intervino en las sesiones del Consejo de Derechos "
            "Humanos y en la Asamblea General de la OEA con posiciones coordinadas con los "
            "ministerios del área."
        ),
        "1",
    ),
    (
        "DGCEP",
        2,
        "logro",
        (
            "Se organizaron las ceremonias de presentación de cartas credenciales del "
            "trimestre y se atendieron en plazo los trámites de privilegios e inmunidades "
            "del cuerpo diplomático."
        ),
        "1",
    ),
    (
        "DGLAIT",
        2,
        "logro",
        (
            "Se celebró la reunión anual de la comisión mixta de límites con un país vecino "
            "y se actualizó el registro de hitos inspeccionados."
        ),
        "3",
    ),
    (
        "DGLAIT",
        2,
        "dificultad",
        (
            "Las condiciones climáticas en zonas altas limitaron las campañas "
            "de inspección de hitos fronterizos."
        ),
        "3",
    ),
    (
        "DGCEP",
        2,
        "recomendacion",
        (
            "Registrar como no aplicable la visita de Estado postergada, con "
            "su justificación, para no distorsionar la evaluación."
        ),
        "1",
    ),
    (
        "DGRM",
        3,
        "logro",
        (
            "La delegación boliviana participó en el debate general de la Asamblea "
            "General con una agenda de reuniones bilaterales en paralelo."
        ),
        "1",
    ),
    (
        "DGLAIT",
        3,
        "logro",
        ("Se completó la campaña de densificación de hitos prevista para la estación seca."),
        "3",
    ),
    (
        "DGRB",
        3,
        "dificultad",
        (
            "Varias visitas oficiales se reprogramaron por coincidir con "
            "procesos electorales en los países contraparte."
        ),
        "2",
    ),
    (
        "VRE-DM",
        4,
        "logro",
        (
            "El Viceministerio cerró la gestión con la agenda bilateral y "
            "multilateral atendida en su totalidad."
        ),
        None,
    ),
    (
        "DGLAIT",
        4,
        "recomendacion",
        ("Planificar las campañas de campo según la estación para reducir reprogramaciones."),
        "3",
    ),
    # --- Viceministerio de Comercio Exterior e Integración ---
    (
        "DGPEACI",
        1,
        "logro",
        (
            "Productores bolivianos participaron en ferias internacionales con "
            "apoyo de las misiones en el exterior."
        ),
        "4",
    ),
    (
        "VCEI-DM",
        1,
        "dificultad",
        (
            "La rotación de personal técnico del Viceministerio demoró el "
            "arranque de algunas negociaciones."
        ),
        "4",
    ),
    (
        "DGIF",
        2,
        "logro",
        (
            "Se realizaron reuniones técnicas sobre facilitación del tránsito de "
            "mercancías en los principales pasos de frontera."
        ),
        "4",
    ),
    (
        "DGPEACI",
        2,
        "logro",
        (
            "Se elaboraron perfiles de mercado para cinco productos con potencial "
            "exportador y se difundieron entre las cámaras de exportadores."
        ),
        "4",
    ),
    (
        "DGPEACI",
        2,
        "recomendacion",
        (
            "Concentrar la promoción comercial en mercados con acuerdos "
            "vigentes y demanda comprobada."
        ),
        "4",
    ),
    (
        "VCEI-DM",
        3,
        "logro",
        (
            "Se celebró una comisión intergubernamental económico-comercial con "
            "compromisos de seguimiento para ambas partes."
        ),
        "4",
    ),
    (
        "DGIF",
        3,
        "dificultad",
        (
            "La coordinación con entidades nacionales de control fronterizo "
            "requirió más reuniones de las previstas."
        ),
        None,
    ),
    (
        "DGPEACI",
        4,
        "logro",
        (
            "Se difundieron boletines de oportunidades comerciales a exportadores "
            "durante todo el año."
        ),
        "4",
    ),
    (
        "VCEI-DM",
        4,
        "recomendacion",
        ("Mantener un tablero de seguimiento de las negociaciones comerciales abiertas."),
        None,
    ),
    # --- Viceministerio de Gestión Consular e Institucional ---
    (
        "DGALC",
        1,
        "logro",
        (
            "El servicio de apostilla atendió la demanda del trimestre con tiempos "
            "de entrega estables."
        ),
        "5",
    ),
    (
        "DDSC",
        1,
        "dificultad",
        (
            "La oficina de Santa Cruz tuvo demoras por la verificación de firmas "
            "de documentos emitidos por otras entidades."
        ),
        "5",
    ),
    (
        "VGCI-DM",
        1,
        "recomendacion",
        (
            "Uniformar los procedimientos de legalización entre la oficina "
            "central y las departamentales."
        ),
        None,
    ),
    (
        "DGAC",
        2,
        "logro",
        (
            "Se atendieron todos los casos de protección consular derivados por las "
            "misiones, incluidas repatriaciones de connacionales vulnerables."
        ),
        "5",
    ),
    (
        "DGALC",
        2,
        "logro",
        (
            "El servicio de apostilla y legalizaciones atendió la demanda del trimestre sin "
            "acumular trámites pendientes."
        ),
        "5",
    ),
    (
        "DGAC",
        2,
        "dificultad",
        (
            "El programa de documentación y apoyo a bolivianos en el exterior no registró "
            "gasto porque su reglamento de uso sigue en revisión."
        ),
        "5",
    ),
    (
        "DDSC",
        2,
        "dificultad",
        (
            "La oficina de Santa Cruz no contó en el semestre con personal administrativo "
            "para tramitar sus pagos, por lo que su presupuesto no se ejecutó."
        ),
        "5",
    ),
    (
        "DGADP",
        2,
        "dificultad",
        (
            "Algunos cursos se postergaron por la coincidencia con actividades "
            "de la agenda institucional."
        ),
        "5",
    ),
    (
        "UGC",
        2,
        "recomendacion",
        (
            "Conciliar mensualmente la recaudación consular para detectar a "
            "tiempo las diferencias con los reportes de las misiones."
        ),
        "5",
    ),
    (
        "DGE",
        3,
        "logro",
        (
            "Se completó el proceso de rotación de personal del servicio exterior "
            "previsto para el tercer trimestre."
        ),
        "5",
    ),
    (
        "DGAC",
        3,
        "dificultad",
        (
            "El aumento de casos de protección en países vecinos exigió "
            "reasignar personal de otras tareas."
        ),
        None,
    ),
    (
        "VGCI-DM",
        4,
        "logro",
        (
            "Los servicios consulares y de legalización mantuvieron su atención "
            "sin interrupciones durante toda la gestión."
        ),
        "5",
    ),
    (
        "DGADP",
        4,
        "recomendacion",
        (
            "Programar la capacitación del año siguiente con el calendario "
            "de rotaciones del personal."
        ),
        None,
    ),
    # --- Servicio Exterior ---
    (
        "SE",
        1,
        "logro",
        (
            "Las misiones recibieron a tiempo los recursos de funcionamiento del "
            "trimestre y remitieron sus rendiciones de cuentas."
        ),
        "7",
    ),
    (
        "SE",
        1,
        "dificultad",
        (
            "Varias oficinas consulares reportaron su seguimiento fuera de plazo, "
            "lo que obligó a consolidar la información con retraso."
        ),
        "7",
    ),
    (
        "CON-PUN",
        1,
        "dificultad",
        (
            "La falta de insumos para la emisión de documentos limitó la atención del "
            "consulado en febrero y marzo."
        ),
        "7",
    ),
    (
        "SE",
        1,
        "recomendacion",
        (
            "Recordar a las misiones el calendario de reporte mensual y "
            "habilitar un canal de consulta para dudas de llenado."
        ),
        None,
    ),
    (
        "EMB-BEL",
        2,
        "logro",
        (
            "La Embajada impulsó negociaciones de cooperación con instituciones "
            "europeas en temas productivos."
        ),
        "7",
    ),
    (
        "SE",
        2,
        "logro",
        (
            "Las misiones cumplieron la agenda de visitas y reuniones bilaterales del "
            "semestre y remitieron sus informes de gestión."
        ),
        "7",
    ),
    (
        "CON-PUN",
        2,
        "dificultad",
        (
            "El consulado atendió con un solo funcionario durante el trimestre y postergó "
            "las jornadas de atención en provincias."
        ),
        "7",
    ),
    (
        "CON-ORA",
        2,
        "dificultad",
        (
            "El consulado no remitió el reporte de mayo por problemas de "
            "conectividad; el mes figura sin reporte."
        ),
        "7",
    ),
    (
        "SE",
        2,
        "recomendacion",
        (
            "Registrar las reversiones de gasto con su explicación para que los "
            "devengados negativos se entiendan en el informe."
        ),
        None,
    ),
    (
        "SE",
        3,
        "logro",
        "Se dotó de equipamiento y conectividad a un grupo de misiones priorizadas.",
        "7",
    ),
    (
        "CG-WAS",
        3,
        "dificultad",
        (
            "La alta demanda de documentos superó la capacidad de atención "
            "presencial en algunas semanas."
        ),
        "7",
    ),
    (
        "SE",
        3,
        "recomendacion",
        (
            "Ampliar las jornadas de consulado móvil en circunscripciones con "
            "comunidades alejadas de la sede."
        ),
        None,
    ),
    (
        "SE",
        4,
        "logro",
        (
            "Las misiones cerraron la gestión con su agenda bilateral, multilateral y "
            "consular cumplida en gran parte."
        ),
        "7",
    ),
    (
        "SE",
        4,
        "recomendacion",
        (
            "Revisar las metas de las misiones con menor avance y ajustar su "
            "programación a la demanda real."
        ),
        None,
    ),
]

# --------------------------------------------------------------------------------------
# Articulación PDES → PEI → ACP: (eje_pdes, meta_pdes, resultado_pdes, codigo_amp,
# accion_pei, codigo_acp). Los textos son de ejemplo, escritos para la muestra.
# --------------------------------------------------------------------------------------
_EJE_INTERNACIONAL = "Eje 10: Integración y relaciones internacionales con soberanía"
ARTICULACION = [
    (_EJE_INTERNACIONAL, "Meta 10.1: Presencia en los foros multilaterales",
     "Resultado 10.1.1: Posiciones del Estado defendidas en los organismos internacionales",
     "AMP 1", "Diplomacia multilateral activa", "1"),
    (_EJE_INTERNACIONAL, "Meta 10.2: Relaciones bilaterales de cooperación",
     "Resultado 10.2.1: Agenda bilateral con acuerdos en ejecución",
     "AMP 2", "Relaciones bilaterales para el desarrollo", "2"),
    (_EJE_INTERNACIONAL, "Meta 10.4: Fronteras y recursos hídricos compartidos",
     "Resultado 10.4.1: Límites demarcados y aguas transfronterizas gestionadas",
     "AMP 3", "Gestión de límites y aguas internacionales", "3"),
    (_EJE_INTERNACIONAL, "Meta 10.3: Comercio exterior e integración",
     "Resultado 10.3.2: Mercados abiertos para la oferta exportable",
     "AMP 4", "Promoción comercial e integración regional", "4"),
    (_EJE_INTERNACIONAL, "Meta 10.5: Atención a la comunidad boliviana en el exterior",
     "Resultado 10.5.1: Servicios consulares ágiles y documentos en plazo",
     "AMP 5", "Servicio consular cercano al ciudadano", "5"),
    ("Eje 9: Gestión pública transparente y eficiente",
     "Meta 9.1: Instituciones con gestión por resultados",
     "Resultado 9.1.2: Procesos administrativos y de planificación fortalecidos",
     "AMP 6", "Gestión institucional eficiente", "6"),
    ("Eje 9: Gestión pública transparente y eficiente",
     "Meta 9.1: Instituciones con gestión por resultados",
     "Resultado 9.1.3: Servidores de carrera formados y evaluados",
     "AMP 6", "Gestión institucional eficiente", "7"),
]

# --------------------------------------------------------------------------------------
# Servicios prestados al público por las oficinas consulares: (indicador, volumen mensual
# típico de un consulado general). Cada oficina los desagrega por su país.
# --------------------------------------------------------------------------------------
SERVICIOS_CONSULARES = [
    ("Pasaportes emitidos", 180),
    ("Visas otorgadas", 40),
    ("Documentos legalizados", 260),
]
TIPOS_CON_ESTADISTICAS = ("Consulado General", "Consulado", "Viceconsulado")

# --------------------------------------------------------------------------------------
# Ingresos: (rubro, descripcion, fuente, vigente Bs, parte del año recaudada al cierre)
# --------------------------------------------------------------------------------------
INGRESOS = [
    ("15200", "Venta de valores consulares", "20 Recursos Específicos", 18_500_000, 0.97),
    ("15100", "Tasas por servicios de legalización y apostilla", "20 Recursos Específicos",
     6_200_000, 1.04),
    ("15990", "Otros ingresos no especificados", "20 Recursos Específicos", 350_000, 0.62),
]
