"""The aluminium demo case (DOMAIN.md, "Aluminium case used for the demo"), and its loader.

An automotive supplier, Aluforge Automotive, forges a front lower control arm from wrought alloy AA6082 in
Meinerzhagen (Sauerland) and keeps only the end-collector role. Twenty fictional candidate partners in Germany,
France, Belgium, the Netherlands, Austria, Czechia, Poland and Italy hold the outsourced roles: 8 collectors, 6 sorters
and 6 recoverers; a Brescia sorter also remelts and a Konin remelter also collects. Every partner shares its
description sheet with the forge.

All companies, people, street addresses, e-mail addresses and figures are invented for the demo; only the towns and
their coordinates are real. Coordinates are town coordinates from the GeoNames gazetteer (geonames.org), rounded to
4 decimals. Activity figures are illustrative demo values, not measurements; each activity's data_source says so
and names a source where a figure follows one from DOMAIN.md.

load_demo() writes everything through partners.services, so the demo has a real history, in one transaction, and
does nothing but reset the personas' passwords when the demo is already there.
"""

import os
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from . import access, services
from .models import Organization

DEFAULT_PASSWORD = "closeloop-demo"
EMAIL_DOMAIN = "closeloop.test"

# ---------------------------------------------------------------- people

PERSONAS = [
    # username, first name, last name (e-mail: <username>@closeloop.test). Printed by `manage.py load_demo`.
    ("editor", "Lena", "Hoffmann"),  # editor of EDITOR_ORGS: shows the organisation switcher
    ("admin", "Katrin", "Vogel"),  # admin of the end collector
    ("auditor", "Pieter", "Janssens"),  # auditor of the end collector (reads, never writes)
]
EDITOR_ORGS = ["ruhr-autoverwertung", "duisburger-shredderwerk"]  # a collector and a sorter

# ---------------------------------------------------------------- the end collector

END_COLLECTOR = {
    "slug": "aluforge-automotive",
    "name": "Aluforge Automotive GmbH",
    "country": "DE",
    "website": "https://aluforge-automotive.example.com",
    "summary": (
        "Tier-1 automotive supplier. Forges front lower control arms from AA6082 wrought alloy: hot forging and "
        "machining of extruded billets, then T6 heat treatment. Wants recycled aluminium in the part and keeps only "
        "the end-collector role; collection, sorting and recovery are outsourced."
    ),
    "constraints": (
        "Accepts extruded or cast AA6082 billets only (EN 573-3 composition, diameter 152-203 mm), with a mill "
        "certificate per cast. Deliveries Mon-Fri 6:00-14:00, just in time, 24 t truck loads."
    ),
    "contact_email": "purchasing@aluforge-automotive.example.com",
    "facility": {
        "name": "Forge Meinerzhagen",
        "address": "Am Schmiedehammer 4, 58540 Meinerzhagen",
        "country": "DE",
        "lat": "51.1074",
        "lon": "7.6484",
        "roles": ["end_collector"],
        "capacity": 14000,
        "materials": ["al-secondary-billet"],
    },
}

# ---------------------------------------------------------------- partners

# Criterion values, in this order (codes and bounds in partners/catalogue.py CRITERIA). The price is that of the flow
# the partner delivers, in EUR/t: ELV hulks, aluminium scrap, sorted fractions, or secondary billet.
CRITERIA_ORDER = (
    "price",
    "delivery-on-time",
    "quality",
    "equipment-capability",
    "technical-capability",
    "management-organisation",
    "green-processes",
    "order-delay",
    "reputation",
    "flexibility",
)

# Activities: (process code, yield = output/input, cost EUR/t, energy MJ/t, kg CO2e/t, water m3/t).
# Collector yields are the aluminium mass share of what is collected (about a tenth of a whole end-of-life car, about
# 0.9 for dismantled aluminium parts); sorter and recoverer yields are process recovery yields (DOMAIN.md, Roles).

PARTNERS = [
    # ------------------------------------------------------------ collectors
    {
        "slug": "ruhr-autoverwertung",
        "name": "Ruhr Autoverwertung GmbH",
        "country": "DE",
        "admin": ("Stefan", "Krüger"),
        "summary": "Certified end-of-life vehicle treatment facility in the eastern Ruhr. Takes whole cars from "
        "dealers, insurers and owners, depollutes them, and sells aluminium parts and hulks.",
        "constraints": "Minimum lot 20 t. Collection from the yards Mon-Fri 7:00-16:00. Whole cars: aluminium is "
        "about a tenth of the collected mass.",
        "criteria": (300, 93, 88, 7, 6, 7, 6, 4, 7, 8),
        "facilities": [
            {
                "name": "Yard Dortmund harbour",
                "address": "Containerstraße 12, 44147 Dortmund",
                "country": "DE",
                "lat": "51.5149",
                "lon": "7.4660",
                "roles": ["collector"],
                "capacity": 4200,
                "materials": ["al-vehicle-parts", "al-wheels", "steel-scrap"],
                "activities": [("collection", "0.10", 45, 120, 9, "0.01"), ("gatekeeping", "0.98", 10, 15, 1, "0")],
            },
            {
                "name": "Drop-off point Bochum",
                "address": "Harpener Hellweg 30, 44791 Bochum",
                "country": "DE",
                "lat": "51.4817",
                "lon": "7.2165",
                "roles": ["collector"],
                "capacity": 1600,
                "materials": ["al-vehicle-parts", "al-wheels"],
                "activities": [("collection", "0.10", 50, 130, 10, "0.01"), ("gatekeeping", "0.97", 12, 15, 1, "0")],
            },
        ],
    },
    {
        "slug": "maas-demontage",
        "name": "Maas Demontage BV",
        "country": "NL",
        "admin": ("Joris", "van Dijk"),
        "summary": "Automotive dismantler near the German border. Removes bumpers beams, wheels, suspension arms, "
        "subframes and closures from end-of-life cars and sells them as clean aluminium parts.",
        "constraints": "Parts sold by alloy family (cast / wrought) in 1 t big bags. Steel inserts removed; rubber "
        "bushes may remain on suspension parts.",
        "criteria": (1280, 95, 94, 8, 8, 7, 7, 6, 8, 6),
        "facilities": [
            {
                "name": "Dismantling hall Venlo",
                "address": "Celsiusweg 20, 5928 Venlo",
                "country": "NL",
                "lat": "51.3700",
                "lon": "6.1681",
                "roles": ["collector"],
                "capacity": 1800,
                "materials": ["al-vehicle-parts", "al-wheels"],
                "activities": [("dismantling", "0.90", 120, 210, 18, "0.05"), ("gatekeeping", "0.98", 10, 12, 1, "0")],
            },
        ],
    },
    {
        "slug": "demontage-liegeois",
        "name": "Démontage Liégeois SA",
        "country": "BE",
        "admin": ("Sophie", "Lambert"),
        "summary": "Dismantler in the Liège industrial basin. Takes end-of-life cars from Wallonia and sells "
        "dismantled aluminium wheels and chassis parts.",
        "constraints": "Wheels delivered without tyres and valves. Minimum lot 10 t; loading Mon-Sat morning.",
        "criteria": (1240, 90, 92, 7, 7, 6, 7, 7, 7, 7),
        "facilities": [
            {
                "name": "Centre de démontage Liège",
                "address": "Quai du Halage 15, 4000 Liège",
                "country": "BE",
                "lat": "50.6337",
                "lon": "5.5675",
                "roles": ["collector"],
                "capacity": 1400,
                "materials": ["al-vehicle-parts", "al-wheels"],
                "activities": [("dismantling", "0.89", 110, 230, 20, "0.05"), ("gatekeeping", "0.97", 9, 12, 1, "0")],
            },
        ],
    },
    {
        "slug": "casse-auto-flandres",
        "name": "Casse Auto des Flandres SARL",
        "country": "FR",
        "admin": ("Julien", "Lefebvre"),
        "summary": "Approved car scrapyard (centre VHU agréé) for the Lille metropolitan area. Collects whole "
        "end-of-life cars; sells depolluted hulks to shredders.",
        "constraints": "Hulks pressed in bales of about 1 t. Whole cars: aluminium is about 9 % of the mass.",
        "criteria": (290, 88, 85, 6, 6, 6, 5, 5, 6, 8),
        "facilities": [
            {
                "name": "Centre VHU Lille",
                "address": "Rue du Port 45, 59000 Lille",
                "country": "FR",
                "lat": "50.6339",
                "lon": "3.0551",
                "roles": ["collector"],
                "capacity": 3600,
                "materials": ["al-vehicle-parts", "al-wheels", "steel-scrap"],
                "activities": [("collection", "0.09", 40, 140, 11, "0.01"), ("gatekeeping", "0.97", 8, 15, 1, "0")],
            },
        ],
    },
    {
        "slug": "rijnmond-sloopwerken",
        "name": "Rijnmond Sloopwerken BV",
        "country": "NL",
        "admin": ("Sanne", "de Vries"),
        "summary": "Demolition contractor for offices and warehouses in the Rotterdam port region. Strips "
        "aluminium curtain walls, window frames, siding and 3004 corrugated roofing before demolition.",
        "constraints": "Frames delivered with glass removed; thermal breaks, gaskets and steel fixings remain "
        "(aluminium about 70 % of the mass). Volumes follow the demolition schedule.",
        "criteria": (1150, 86, 80, 6, 6, 7, 6, 10, 7, 5),
        "facilities": [
            {
                "name": "Depot Waalhaven",
                "address": "Waalhaven Zuidzijde 21, 3089 Rotterdam",
                "country": "NL",
                "lat": "51.9225",
                "lon": "4.4792",
                "roles": ["collector"],
                "capacity": 2400,
                "materials": ["al-building"],
                "activities": [("collection", "0.70", 60, 150, 11, "0.01"), ("gatekeeping", "0.95", 12, 10, 1, "0")],
            },
        ],
    },
    {
        "slug": "kreislauf-verpackung-koeln",
        "name": "Kreislauf Verpackung Köln GmbH",
        "country": "DE",
        "admin": ("Thomas", "Schmitz"),
        "summary": "Packaging recycling centre. Receives the aluminium fraction of lightweight packaging "
        "collections from the Rhineland: foils, trays, rigid containers and closures, baled.",
        "constraints": "Bales of 300-500 kg. Lacquers, plastic laminates, food residue and moisture leave about "
        "80 % aluminium by mass.",
        "criteria": (720, 96, 83, 7, 7, 8, 8, 5, 8, 7),
        "facilities": [
            {
                "name": "Recycling centre Köln-Niehl",
                "address": "Industriestraße 161, 50735 Köln",
                "country": "DE",
                "lat": "50.9333",
                "lon": "6.9500",
                "roles": ["collector"],
                "capacity": 3000,
                "materials": ["al-packaging"],
                "activities": [("collection", "0.80", 55, 110, 8, "0.02"), ("gatekeeping", "0.96", 10, 20, 2, "0")],
            },
        ],
    },
    {
        "slug": "autorecycling-oberoesterreich",
        "name": "Autorecycling Oberösterreich GmbH",
        "country": "AT",
        "admin": ("Andreas", "Huber"),
        "summary": "End-of-life vehicle collector with two yards in Linz and Graz. Collects whole cars, "
        "depollutes them and removes wheels before selling the hulks.",
        "constraints": "Minimum lot 15 t. Rail siding in Linz for loads of 500 t and more.",
        "criteria": (310, 94, 89, 8, 7, 8, 7, 4, 8, 7),
        "facilities": [
            {
                "name": "Yard Linz",
                "address": "Industriezeile 40, 4020 Linz",
                "country": "AT",
                "lat": "48.3064",
                "lon": "14.2861",
                "roles": ["collector"],
                "capacity": 2800,
                "materials": ["al-vehicle-parts", "al-wheels", "steel-scrap"],
                "activities": [("collection", "0.11", 48, 115, 8, "0.01"), ("gatekeeping", "0.98", 10, 15, 1, "0")],
            },
            {
                "name": "Yard Graz",
                "address": "Puchstraße 50, 8020 Graz",
                "country": "AT",
                "lat": "47.0673",
                "lon": "15.4420",
                "roles": ["collector"],
                "capacity": 1500,
                "materials": ["al-vehicle-parts", "al-wheels"],
                "activities": [("collection", "0.11", 52, 125, 9, "0.01"), ("gatekeeping", "0.97", 11, 15, 1, "0")],
            },
        ],
    },
    {
        "slug": "autovrakoviste-ostrava",
        "name": "Autovrakoviště Ostrava s.r.o.",
        "country": "CZ",
        "admin": ("Petr", "Novák"),
        "summary": "Car scrapyard in Moravian-Silesia. Collects whole end-of-life cars and takes "
        "aluminium wheels from tyre shops.",
        "constraints": "Payment on delivery; loads of 10 t and more. Whole cars: aluminium about a tenth of the mass.",
        "criteria": (270, 85, 84, 6, 6, 5, 5, 6, 6, 9),
        "facilities": [
            {
                "name": "Vrakoviště Ostrava",
                "address": "Místecká 120, 703 00 Ostrava",
                "country": "CZ",
                "lat": "49.8347",
                "lon": "18.2820",
                "roles": ["collector"],
                "capacity": 2000,
                "materials": ["al-vehicle-parts", "al-wheels", "steel-scrap"],
                "activities": [("collection", "0.10", 35, 135, 10, "0.01"), ("gatekeeping", "0.97", 7, 15, 1, "0")],
            },
        ],
    },
    # ------------------------------------------------------------ sorters
    {
        "slug": "duisburger-shredderwerk",
        "name": "Duisburger Shredder- und Sortierwerk GmbH",
        "country": "DE",
        "admin": ("Michael", "Wagner"),
        "summary": "Shredding plant on the Rhine with magnetic, eddy-current and sink-float lines. Produces "
        "wrought and cast aluminium fractions from car hulks and mixed scrap.",
        "constraints": "Inbound by truck or barge. Hulks must be depolluted (certificate of destruction). "
        "Fractions sold in lots of 25 t.",
        "criteria": (1620, 94, 92, 9, 8, 8, 7, 7, 8, 7),
        "facilities": [
            {
                "name": "Shredder plant Duisburg-Ruhrort",
                "address": "Hafenstraße 50, 47119 Duisburg",
                "country": "DE",
                "lat": "51.4325",
                "lon": "6.7652",
                "roles": ["sorter"],
                "capacity": 48000,
                "materials": ["al-vehicle-parts", "al-shredded-wrought", "al-building", "steel-scrap"],
                "activities": [
                    ("shredding", "0.98", 38, 220, 24, "0.03"),
                    ("magnetic-separation", "0.99", 6, 15, 2, "0"),
                    ("eddy-current-separation", "0.95", 15, 30, 3, "0"),
                    ("sink-float-separation", "0.97", 45, 80, 8, "0.40"),
                ],
            },
        ],
    },
    {
        "slug": "antwerp-metal-separation",
        "name": "Antwerp Metal Separation NV",
        "country": "BE",
        "admin": ("Els", "Peeters"),
        "summary": "Large shredding and separation site in the port of Antwerp. Full chain up to alloy "
        "separation by colour sorting after etching; delivers 6xxx-rich fractions.",
        "constraints": "Minimum lot 50 t. Sea and barge access. Sorted 6xxx fraction guaranteed at 95 % alloy purity.",
        "criteria": (1780, 97, 96, 10, 9, 9, 8, 8, 9, 8),
        "facilities": [
            {
                "name": "Separation plant Antwerp port",
                "address": "Haven 1050, 2030 Antwerpen",
                "country": "BE",
                "lat": "51.2205",
                "lon": "4.4003",
                "roles": ["sorter"],
                "capacity": 60000,
                "materials": ["al-vehicle-parts", "al-shredded-wrought", "al-building", "al-packaging", "steel-scrap"],
                "activities": [
                    ("shredding", "0.985", 35, 200, 9, "0.03"),
                    ("magnetic-separation", "0.99", 5, 12, 1, "0"),
                    ("eddy-current-separation", "0.96", 14, 28, 1, "0"),
                    ("sink-float-separation", "0.97", 42, 75, 4, "0.35"),
                    ("colour-sorting", "0.95", 60, 55, 3, "0.15"),
                ],
            },
        ],
    },
    {
        "slug": "lorraine-broyage-tri",
        "name": "Lorraine Broyage et Tri SAS",
        "country": "FR",
        "admin": ("Nicolas", "Girard"),
        "summary": "Two shredding sites in Lorraine and Alsace with magnetic and eddy-current separation. "
        "Sells a mixed non-ferrous fraction and a wrought aluminium fraction.",
        "constraints": "No sink-float: the aluminium fraction still contains some heavy non-ferrous metals. "
        "Lots of 20 t.",
        "criteria": (1540, 90, 88, 7, 7, 7, 6, 9, 7, 7),
        "facilities": [
            {
                "name": "Broyeur Metz",
                "address": "Route de Thionville 200, 57050 Metz",
                "country": "FR",
                "lat": "49.1191",
                "lon": "6.1727",
                "roles": ["sorter"],
                "capacity": 30000,
                "materials": ["al-vehicle-parts", "al-shredded-wrought", "steel-scrap"],
                "activities": [
                    ("shredding", "0.98", 36, 230, 5, "0.03"),
                    ("magnetic-separation", "0.985", 6, 15, 1, "0"),
                    ("eddy-current-separation", "0.94", 16, 32, 2, "0"),
                ],
            },
            {
                "name": "Broyeur Strasbourg port du Rhin",
                "address": "Rue du Port du Rhin 10, 67100 Strasbourg",
                "country": "FR",
                "lat": "48.5839",
                "lon": "7.7455",
                "roles": ["sorter"],
                "capacity": 15000,
                "materials": ["al-vehicle-parts", "al-building", "steel-scrap"],
                "activities": [
                    ("shredding", "0.975", 40, 240, 5, "0.03"),
                    ("magnetic-separation", "0.985", 7, 16, 1, "0"),
                    ("eddy-current-separation", "0.93", 17, 34, 2, "0"),
                ],
            },
        ],
    },
    {
        "slug": "moerdijk-non-ferro",
        "name": "Moerdijk Non-Ferro Scheiding BV",
        "country": "NL",
        "admin": ("Bram", "Visser"),
        "summary": "Alloy separation specialist. Upgrades shredded non-ferrous fractions by sink-float and "
        "colour sorting into alloy-sorted 6xxx and 5xxx scrap for wrought-alloy remelters.",
        "constraints": "Accepts pre-shredded material only (20-120 mm). Campaigns per alloy family; lead time "
        "about two weeks.",
        "criteria": (1850, 93, 97, 9, 9, 7, 8, 10, 8, 5),
        "facilities": [
            {
                "name": "Separation plant Moerdijk",
                "address": "Middenweg 10, 4782 Moerdijk",
                "country": "NL",
                "lat": "51.7017",
                "lon": "4.6264",
                "roles": ["sorter"],
                "capacity": 18000,
                "materials": ["al-shredded-wrought", "al-building"],
                "activities": [
                    ("sink-float-separation", "0.97", 48, 90, 6, "0.50"),
                    ("colour-sorting", "0.94", 70, 60, 4, "0.20"),
                ],
            },
        ],
    },
    {
        "slug": "slaskie-sortownie-metali",
        "name": "Śląskie Sortownie Metali Sp. z o.o.",
        "country": "PL",
        "admin": ("Agnieszka", "Kowalska"),
        "summary": "Shredding and sorting plant in Upper Silesia serving Polish and Czech scrapyards: "
        "magnetic, eddy-current and sink-float lines.",
        "constraints": "Lots of 22 t. Long-distance deliveries by rail from the Katowice freight terminal.",
        "criteria": (1480, 88, 87, 7, 7, 6, 6, 8, 6, 8),
        "facilities": [
            {
                "name": "Sortownia Katowice",
                "address": "ul. Hutnicza 10, 40-241 Katowice",
                "country": "PL",
                "lat": "50.2597",
                "lon": "19.0217",
                "roles": ["sorter"],
                "capacity": 28000,
                "materials": ["al-vehicle-parts", "al-shredded-wrought", "steel-scrap"],
                "activities": [
                    ("shredding", "0.975", 30, 240, 48, "0.04"),
                    ("magnetic-separation", "0.985", 5, 16, 3, "0"),
                    ("eddy-current-separation", "0.94", 13, 34, 7, "0"),
                    ("sink-float-separation", "0.96", 38, 95, 14, "0.60"),
                ],
            },
        ],
    },
    {
        # Two roles on one site: a sorter that also remelts (DOMAIN.md, Roles).
        "slug": "selezione-fusione-bresciana",
        "name": "Selezione e Fusione Bresciana S.p.A.",
        "country": "IT",
        "admin": ("Giulia", "Bonetti"),
        "summary": "Brescia scrap processor that shreds and sorts aluminium scrap and remelts part of it into "
        "billets on the same site: sorter and recoverer in one company.",
        "constraints": "Sorted fractions or billets, as ordered. Billets 6xxx only in campaigns of 200 t. Alpine "
        "transit: allow for weekend truck bans.",
        "criteria": (1700, 91, 91, 8, 8, 7, 6, 9, 8, 9),
        "facilities": [
            {
                "name": "Stabilimento Brescia",
                "address": "Via della Volta 150, 25124 Brescia",
                "country": "IT",
                "lat": "45.5356",
                "lon": "10.2147",
                "roles": ["sorter", "recoverer"],
                "capacity": 45000,
                "materials": ["al-vehicle-parts", "al-shredded-wrought", "al-building", "al-sorted-6xxx"],
                "activities": [
                    ("shredding", "0.98", 34, 210, 18, "0.03"),
                    ("magnetic-separation", "0.99", 6, 14, 1, "0"),
                    ("eddy-current-separation", "0.95", 15, 30, 3, "0"),
                    ("colour-sorting", "0.93", 65, 60, 5, "0.15"),
                    ("remelting", "0.94", 260, 6200, 380, "1.20"),
                    ("casting", "0.98", 110, 1100, 80, "2.50"),
                ],
            },
        ],
    },
    # ------------------------------------------------------------ recoverers
    {
        "slug": "niederrhein-aluminium",
        "name": "Niederrhein Aluminium Recycling GmbH",
        "country": "DE",
        "admin": ("Frank", "Neumann"),
        "summary": "Wrought-alloy remelter and billet caster on the Lower Rhine. Turns sorted 6xxx scrap into "
        "AA6060, AA6063 and AA6082 extrusion billets.",
        "constraints": "Input: alloy-sorted scrap with less than 2 % foreign metals. Billets 152-254 mm, "
        "lengths to order; minimum order 100 t.",
        "criteria": (2780, 95, 96, 9, 9, 9, 8, 21, 9, 7),
        "facilities": [
            {
                "name": "Remelt plant Neuss",
                "address": "Floßhafenstraße 20, 41460 Neuss",
                "country": "DE",
                "lat": "51.1981",
                "lon": "6.6850",
                "roles": ["recoverer"],
                "capacity": 90000,
                "materials": ["al-sorted-6xxx", "al-shredded-wrought", "al-vehicle-parts"],
                "activities": [("remelting", "0.95", 240, 5200, 330, "0.80"), ("casting", "0.98", 95, 950, 60, "2.00")],
            },
        ],
    },
    {
        "slug": "erft-raffination",
        "name": "Erft Raffination GmbH",
        "country": "DE",
        "admin": ("Sabine", "Richter"),
        "summary": "Refiner for contaminated and coated scrap: decoating, flux refining and remelting into "
        "secondary alloy ingots and sows.",
        "constraints": "Takes packaging and building scrap that remelters refuse. Output ingots, not billets: "
        "a billet caster is needed downstream for wrought alloys.",
        "criteria": (2650, 92, 95, 8, 9, 7, 7, 28, 7, 6),
        "facilities": [
            {
                "name": "Refinery Grevenbroich",
                "address": "Industriestraße 8, 41515 Grevenbroich",
                "country": "DE",
                "lat": "51.0910",
                "lon": "6.5827",
                "roles": ["recoverer"],
                "capacity": 35000,
                "materials": ["al-shredded-wrought", "al-packaging", "al-building"],
                "activities": [
                    ("refining", "0.96", 190, 2100, 140, "0.30"),
                    ("remelting", "0.94", 270, 6000, 390, "0.90"),
                ],
            },
        ],
    },
    {
        "slug": "innviertler-umschmelzwerk",
        "name": "Innviertler Umschmelzwerk GmbH",
        "country": "AT",
        "admin": ("Christoph", "Gruber"),
        "summary": "Integrated recycler in the Inn valley: remelting, billet casting and extrusion. Supplies "
        "extruded AA6082 forging stock with high recycled content.",
        "constraints": "Extruded forging stock in 6 m bars, diameters 30-120 mm. Annual frame contract "
        "preferred; lead time four to six weeks.",
        "criteria": (2950, 98, 99, 10, 10, 9, 9, 30, 10, 6),
        "facilities": [
            {
                "name": "Werk Ranshofen",
                "address": "Werkstraße 12, 5282 Ranshofen (Braunau am Inn)",
                "country": "AT",
                "lat": "48.2331",
                "lon": "13.0157",
                "roles": ["recoverer"],
                "capacity": 120000,
                "materials": ["al-sorted-6xxx", "al-shredded-wrought", "al-vehicle-parts"],
                "activities": [
                    ("remelting", "0.96", 250, 4800, 280, "0.70"),
                    ("casting", "0.98", 100, 900, 50, "1.80"),
                    ("extrusion", "0.92", 340, 3100, 140, "0.60"),
                ],
            },
        ],
    },
    {
        "slug": "labe-extrusion",
        "name": "Labe Extrusion a.s.",
        "country": "CZ",
        "admin": ("Jana", "Dvořáková"),
        "summary": "Remelter and extruder on the Elbe. Casts its own billets from scrap and primary metal and "
        "extrudes profiles and bars.",
        "constraints": "Recycled content up to 75 % in 6xxx alloys. Barge transport on the Elbe possible in "
        "high water only.",
        "criteria": (2720, 91, 94, 8, 8, 7, 6, 24, 7, 8),
        "facilities": [
            {
                "name": "Závod Děčín",
                "address": "Ústecká 50, 405 02 Děčín",
                "country": "CZ",
                "lat": "50.7822",
                "lon": "14.2148",
                "roles": ["recoverer"],
                "capacity": 45000,
                "materials": ["al-sorted-6xxx", "al-shredded-wrought"],
                "activities": [
                    ("remelting", "0.95", 230, 5600, 480, "0.90"),
                    ("casting", "0.98", 90, 1000, 90, "2.20"),
                    ("extrusion", "0.91", 310, 3300, 290, "0.70"),
                ],
            },
        ],
    },
    {
        "slug": "refonte-du-littoral",
        "name": "Refonte du Littoral SAS",
        "country": "FR",
        "admin": ("Claire", "Moreau"),
        "summary": "Refiner and remelter at the port of Dunkirk. Refines mixed wrought scrap by flux separation, "
        "remelts it and casts billets.",
        "constraints": "Inbound by sea, barge or truck. Minimum order 50 t of billets.",
        "criteria": (2700, 93, 95, 8, 8, 8, 7, 25, 8, 7),
        "facilities": [
            {
                "name": "Usine Dunkerque",
                "address": "Route du Port Ouest 12, 59140 Dunkerque",
                "country": "FR",
                "lat": "51.0344",
                "lon": "2.3768",
                "roles": ["recoverer"],
                "capacity": 70000,
                "materials": ["al-shredded-wrought", "al-sorted-6xxx", "al-building"],
                "activities": [
                    ("refining", "0.97", 170, 1800, 100, "0.25"),
                    ("remelting", "0.95", 245, 5400, 310, "0.80"),
                    ("casting", "0.98", 95, 950, 55, "2.00"),
                ],
            },
        ],
    },
    {
        # Two roles on two sites: a remelter that also collects (DOMAIN.md, Roles).
        "slug": "konin-recykling-aluminium",
        "name": "Konińskie Recykling Aluminium S.A.",
        "country": "PL",
        "admin": ("Tomasz", "Wiśniewski"),
        "summary": "Remelter and billet caster in Konin with its own scrap collection yard in Poznań: "
        "recoverer and collector in one company.",
        "constraints": "Billets in 6xxx alloys, minimum order 60 t. The Poznań yard buys aluminium scrap from "
        "workshops and dismantlers in Greater Poland.",
        "criteria": (2620, 89, 93, 8, 7, 7, 6, 20, 7, 8),
        "facilities": [
            {
                "name": "Huta Konin",
                "address": "ul. Przemysłowa 20, 62-510 Konin",
                "country": "PL",
                "lat": "52.2234",
                "lon": "18.2512",
                "roles": ["recoverer"],
                "capacity": 60000,
                "materials": ["al-sorted-6xxx", "al-shredded-wrought", "al-vehicle-parts"],
                "activities": [
                    ("remelting", "0.95", 220, 5800, 560, "1.00"),
                    ("casting", "0.98", 85, 1050, 120, "2.50"),
                ],
            },
            {
                "name": "Skup złomu Poznań",
                "address": "ul. Gdyńska 40, 61-016 Poznań",
                "country": "PL",
                "lat": "52.4069",
                "lon": "16.9299",
                "roles": ["collector"],
                "capacity": 3500,
                "materials": ["al-vehicle-parts", "al-wheels", "al-building"],
                "activities": [("collection", "0.88", 40, 100, 9, "0.01"), ("gatekeeping", "0.97", 8, 12, 1, "0")],
            },
        ],
    },
]

# What each activity's data_source says (max 255 characters).
DATA_SOURCE = "Illustrative demo values, not measured data."
SOURCE_NOTES = {
    "collection": " Yield = aluminium mass share of the collected returns (DOMAIN.md, Roles).",
    "dismantling": " Yield = aluminium mass share of the dismantled parts (DOMAIN.md, Roles).",
    "remelting": " Energy set near 5 % of primary production and CO2e far below the 6.8-7 t/t of European "
    "primary aluminium (European Aluminium 2018, via DOMAIN.md, Reference figures).",
}


# ---------------------------------------------------------------- loader


@dataclass
class DemoResult:
    created: bool  # False: the demo was already there, only the personas' passwords were reset
    password: str
    personas: list  # the persona users, in PERSONAS order (missing ones left out)


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


@transaction.atomic
def load_demo(password: str | None = None) -> DemoResult:
    """Load the demo case; if it is already loaded, only reset the personas' passwords. Raises the services'
    errors (ApplicationError, ValidationError...) on bad data; nothing is written then."""
    password = password or demo_password()
    hashed = make_password(password)  # hashed once for every demo user: one slow hash instead of two dozen
    if Organization.objects.filter(slug=END_COLLECTOR["slug"]).exists():
        User = get_user_model()
        personas = [u for u in (User.objects.filter(username=name).first() for name, _, _ in PERSONAS) if u]
        for user in personas:
            user.password = hashed
            user.save(update_fields=["password"])
        return DemoResult(created=False, password=password, personas=personas)

    people = {name: _user(name, first, last, hashed) for name, first, last in PERSONAS}
    forge = _load_end_collector(people)
    for data in PARTNERS:
        _load_partner(data, forge, people["editor"], hashed)
    return DemoResult(created=True, password=password, personas=list(people.values()))


def _user(username: str, first_name: str, last_name: str, hashed: str):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.email = f"{username}@{EMAIL_DOMAIN}"
    user.first_name, user.last_name = first_name, last_name
    user.password = hashed
    user.save()
    return user


def _invite(admin, organization: Organization, user, role: str) -> None:
    """Add an existing user through an invitation: the service adds them at once and logs both steps."""
    services.invitation_create(user=admin, organization=organization, email=user.email, role=role)
    access.forget_roles(user)


# Illustrative fixed cost per year of keeping a facility in the network, by its most demanding role (demo
# assumption, like the activity figures): a yard's site and staff, a shredding line, a furnace.
FIXED_COST_EUR_PER_YEAR = {"recoverer": 250_000, "sorter": 120_000, "collector": 30_000, "end_collector": 0}


def _fixed_cost(roles) -> Decimal:
    return Decimal(max(FIXED_COST_EUR_PER_YEAR[role] for role in roles))


def _facility(actor, organization: Organization, data: dict):
    facility = services.facility_create(
        user=actor,
        organization=organization,
        name=data["name"],
        address=data["address"],
        country=data["country"],
        latitude=Decimal(data["lat"]),
        longitude=Decimal(data["lon"]),
        roles=data["roles"],
        capacity_t_per_year=Decimal(data["capacity"]),
        accepted_materials=data["materials"],
        fixed_cost_eur_per_year=_fixed_cost(data["roles"]),
    )
    for process, yield_ratio, cost, energy, co2e, water in data.get("activities", []):
        services.activity_create(
            user=actor,
            facility=facility,
            process=process,
            yield_ratio=Decimal(yield_ratio),
            cost_eur_per_t=Decimal(cost),
            energy_mj_per_t=Decimal(energy),
            co2e_kg_per_t=Decimal(co2e),
            water_m3_per_t=Decimal(water),
            data_source=DATA_SOURCE + SOURCE_NOTES.get(process, ""),
        )
    return facility


def _load_end_collector(people) -> Organization:
    data, admin = END_COLLECTOR, people["admin"]
    forge = services.organization_create(
        user=admin,
        name=data["name"],
        slug=data["slug"],
        is_end_collector=True,
        country=data["country"],
        website=data["website"],
    )
    services.sheet_update(
        user=admin,
        organization=forge,
        summary=data["summary"],
        constraints=data["constraints"],
        contact_email=data["contact_email"],
    )
    _facility(admin, forge, data["facility"])
    _invite(admin, forge, people["auditor"], "auditor")
    return forge


def _load_partner(data: dict, forge: Organization, editor, hashed: str) -> Organization:
    slug = data["slug"]
    admin = _user(f"{slug}-admin", *data["admin"], hashed)
    org = services.organization_create(
        user=admin, name=data["name"], slug=slug, country=data["country"], website=f"https://{slug}.example.com"
    )
    actor = admin
    if slug in EDITOR_ORGS:  # the editor persona keeps this sheet: the history shows their work
        _invite(admin, org, editor, "editor")
        actor = editor
    services.sheet_update(
        user=actor,
        organization=org,
        summary=data["summary"],
        constraints=data["constraints"],
        contact_email=f"sales@{slug}.example.com",
        values=dict(zip(CRITERIA_ORDER, (Decimal(v) for v in data["criteria"]), strict=True)),
    )
    for facility in data["facilities"]:
        _facility(actor, org, facility)
    services.share_create(user=admin, organization=org, end_collector=forge)
    return org
